"""DifferenceKDLoss against a naive loop implementation of eq. 7."""
import math

import pytest
import torch

from mmdccd.models.losses import DifferenceKDLoss
from tests.test_models.test_losses.test_kd_loss import naive_kd


def naive_dkd(ys, yt, tau=4.0):
    b = len(ys) // 2
    d_s = [[a - c for a, c in zip(ys[i], ys[b + i])] for i in range(b)]
    d_t = [[a - c for a, c in zip(yt[i], yt[b + i])] for i in range(b)]
    neg = lambda rows: [[-v for v in row] for row in rows]  # noqa: E731
    return 0.5 * (naive_kd(d_s, d_t, tau) + naive_kd(neg(d_s), neg(d_t), tau))


@pytest.mark.parametrize('tau', [1.0, 4.0])
def test_matches_naive_value_and_gradient(tau):
    torch.manual_seed(0)
    ys = (3 * torch.randn(8, 5, dtype=torch.float64)).requires_grad_()
    yt = 3 * torch.randn(8, 5, dtype=torch.float64)
    loss = DifferenceKDLoss(tau=tau)(ys, yt)
    assert loss.item() == pytest.approx(
        naive_dkd(ys.tolist(), yt.tolist(), tau), rel=1e-10)
    loss.backward()
    h = 1e-6
    numeric = torch.zeros_like(ys)
    for i in range(ys.shape[0]):
        for j in range(ys.shape[1]):
            plus, minus = ys.detach().clone(), ys.detach().clone()
            plus[i, j] += h
            minus[i, j] -= h
            numeric[i, j] = (naive_dkd(plus.tolist(), yt.tolist(), tau) -
                             naive_dkd(minus.tolist(), yt.tolist(), tau)) / (
                                 2 * h)
    torch.testing.assert_close(ys.grad, numeric, rtol=1e-5, atol=1e-7)


def test_student_equal_to_teacher_gives_zero():
    y = torch.randn(6, 10)
    assert DifferenceKDLoss()(y, y.clone()).item() == pytest.approx(
        0.0, abs=1e-6)
    # a constant shift per view does not change the differences' softmax
    shifted = y + torch.cat([torch.full((3, 1), 2.), torch.full((3, 1), -1.)])
    assert DifferenceKDLoss()(shifted, y).item() == pytest.approx(
        0.0, abs=1e-5)


def test_hand_worked_value():
    # b = 1, two classes, tau = 1. Student difference (0, 0) -> q_s = (.5, .5)
    # both ways; teacher difference (ln 3, 0) -> q_t = (3/4, 1/4) one way and
    # (1/4, 3/4) the other. KL = 3/4 ln(3/2) + 1/4 ln(1/2) both ways.
    ys = torch.tensor([[1., 1.], [1., 1.]])
    yt = torch.tensor([[math.log(3), 0.], [0., 0.]])
    expected = 0.75 * math.log(1.5) + 0.25 * math.log(0.5)
    loss = DifferenceKDLoss(tau=1.0)(ys, yt)
    assert loss.item() == pytest.approx(expected, rel=1e-6)
    # tau^2 scaling: at tau = 2 the differences are halved inside softmax
    yt2 = torch.tensor([[2 * math.log(3), 0.], [0., 0.]])
    assert DifferenceKDLoss(tau=2.0)(ys, yt2).item() == pytest.approx(
        4 * expected, rel=1e-6)


def test_mse_distance_and_weight():
    torch.manual_seed(1)
    ys, yt = torch.randn(8, 5), torch.randn(8, 5)
    d_s, d_t = ys[:4] - ys[4:], yt[:4] - yt[4:]
    expected = ((d_s - d_t)**2).mean()
    loss = DifferenceKDLoss(distance='mse', loss_weight=0.5)(ys, yt)
    torch.testing.assert_close(loss, 0.5 * expected)


def test_bad_input():
    with pytest.raises(ValueError, match='not a multiple of 2'):
        DifferenceKDLoss()(torch.randn(5, 3), torch.randn(5, 3))
    with pytest.raises(ValueError, match=r'student \(4, 3\) and teacher'):
        DifferenceKDLoss()(torch.randn(4, 3), torch.randn(4, 5))
    with pytest.raises(ValueError, match='distance'):
        DifferenceKDLoss(distance='l1')


def test_float32_for_low_precision_logits():
    torch.manual_seed(0)
    s = torch.randn(8, 10).bfloat16()
    t = torch.randn(8, 10).bfloat16()
    loss_fn = DifferenceKDLoss(tau=4.0)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        loss = loss_fn(s, t)
    assert loss.dtype == torch.float32
    expected = loss_fn(s.double(), t.double())
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)
