"""HintonKDLoss / kd_loss against a naive loop and mmrazor's KLDivergence."""
import math

import pytest
import torch
from mmrazor.models.losses import KLDivergence

from mmdccd.models.losses import HintonKDLoss, kd_loss


def naive_kd(s_rows, t_rows, tau):
    """tau^2 * KL(softmax(t / tau) || softmax(s / tau)), mean over rows."""
    total = 0.0
    for s, t in zip(s_rows, t_rows):
        zs = sum(math.exp(v / tau) for v in s)
        zt = sum(math.exp(v / tau) for v in t)
        for vs, vt in zip(s, t):
            ps, pt = math.exp(vs / tau) / zs, math.exp(vt / tau) / zt
            total += pt * (math.log(pt) - math.log(ps))
    return tau**2 * total / len(s_rows)


@pytest.mark.parametrize('tau', [1.0, 4.0])
def test_matches_naive_and_mmrazor(tau):
    torch.manual_seed(0)
    s = 3 * torch.randn(6, 5, dtype=torch.float64)
    t = 3 * torch.randn(6, 5, dtype=torch.float64)
    expected = naive_kd(s.tolist(), t.tolist(), tau)
    assert kd_loss(s, t, tau).item() == pytest.approx(expected, rel=1e-12)
    loss = HintonKDLoss(tau=tau, loss_weight=0.5)(s, t)
    assert loss.item() == pytest.approx(0.5 * expected, rel=1e-12)
    mmrazor = KLDivergence(tau=tau, reduction='batchmean', loss_weight=0.5)
    assert mmrazor(s, t).item() == pytest.approx(0.5 * expected, rel=1e-12)


def test_float32_under_bf16_autocast():
    """The softmax stays float32: the loss equals the float64 value to
    float32 precision, where a bfloat16 softmax would be off by ~1e-2."""
    torch.manual_seed(1)
    s, t = torch.randn(16, 10), torch.randn(16, 10)
    exact = naive_kd(s.tolist(), t.tolist(), 4.0)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        loss = HintonKDLoss()(s.bfloat16(), t.bfloat16())
    assert loss.dtype == torch.float32
    # the inputs themselves are rounded to bfloat16 (3 digits)
    rounded = naive_kd(s.bfloat16().float().tolist(),
                       t.bfloat16().float().tolist(), 4.0)
    assert loss.item() == pytest.approx(rounded, rel=1e-5)
    assert loss.item() == pytest.approx(exact, rel=2e-2)


def test_teacher_is_detached_and_student_gets_gradient():
    s = torch.randn(4, 3, requires_grad=True)
    t = torch.randn(4, 3, requires_grad=True)
    HintonKDLoss()(s, t).backward()
    assert t.grad is None
    assert s.grad is not None and s.grad.abs().sum() > 0


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match='same'):
        HintonKDLoss()(torch.randn(4, 3), torch.randn(4, 5))
    with pytest.raises(ValueError, match='tau must be positive'):
        HintonKDLoss(tau=0)
