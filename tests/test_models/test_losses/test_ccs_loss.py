"""ChannelCorrelationLoss (CCS, KSEM 2021) against a naive loop version."""
import math

import pytest
import torch

from mmdccd.models.losses.ccs_loss import ChannelCorrelationLoss

EPS = 1e-5


def naive_ccs(fs: torch.Tensor, ft: torch.Tensor, w_intra: float,
              w_inter: float) -> torch.Tensor:
    """Element-by-element Pearson correlations and squared differences."""
    b, c = fs.shape[:2]

    def pearson(x, y):  # two 1-D sequences of the same length
        n = len(x)
        mx = sum(x) / n
        my = sum(y) / n
        cov = sum((x[k] - mx) * (y[k] - my) for k in range(n)) / n
        vx = sum((x[k] - mx)**2 for k in range(n)) / n
        vy = sum((y[k] - my)**2 for k in range(n)) / n
        return cov / torch.sqrt((vx + EPS) * (vy + EPS))

    intra = 0
    for n in range(b):
        for i in range(c):
            for j in range(c):
                a_s = pearson(fs[n, i].flatten(), fs[n, j].flatten())
                a_t = pearson(ft[n, i].flatten(), ft[n, j].flatten())
                intra = intra + (a_s - a_t)**2
    ps = [[fs[n, i].mean() for n in range(b)] for i in range(c)]
    pt = [[ft[n, i].mean() for n in range(b)] for i in range(c)]
    inter = 0
    for i in range(c):
        for j in range(c):
            inter = inter + (pearson(ps[i], ps[j]) -
                             pearson(pt[i], pt[j]))**2
    return w_intra * intra / (b * c * c) + w_inter * inter / (c * c)


@pytest.mark.parametrize('w_intra,w_inter', [(1.0, 1.0), (0.5, 2.0),
                                             (1.0, 0.0)])
def test_value_and_gradient_match_naive_loop(w_intra, w_inter):
    gen = torch.Generator().manual_seed(0)
    # different spatial sizes: both matrices are C x C
    fs = torch.randn(3, 4, 3, 2, generator=gen, dtype=torch.float64)
    ft = torch.randn(3, 4, 2, 2, generator=gen, dtype=torch.float64)
    fs1 = fs.clone().requires_grad_()
    fs2 = fs.clone().requires_grad_()
    loss_fn = ChannelCorrelationLoss(
        intra_weight=w_intra, inter_weight=w_inter, loss_weight=3.0)
    ours = loss_fn(fs1, ft)
    ref = 3.0 * naive_ccs(fs2, ft, w_intra, w_inter)
    assert ours.item() == pytest.approx(ref.item(), rel=1e-10)
    assert ours.item() > 0
    ours.backward()
    ref.backward()
    torch.testing.assert_close(fs1.grad, fs2.grad, rtol=1e-8, atol=1e-10)


def test_correlations_by_hand():
    # one sample, two channels over 2 positions: (1, 3) and (2, 0) are
    # perfectly anti-correlated: corr = -1 up to eps (var = 1 each).
    feat = torch.tensor([[[[1., 3.]], [[2., 0.]]]], dtype=torch.float64)
    loss_fn = ChannelCorrelationLoss()
    a = loss_fn.intra_correlation(feat)[0]
    expected = 1 / (1 + EPS)
    torch.testing.assert_close(
        a, torch.tensor([[expected, -expected], [-expected, expected]],
                        dtype=torch.float64))
    # two samples whose pooled features are (0, 1) and (2, 5): channel
    # deviations (-1, 1) and (-2, 2): correlation 2 / sqrt((1+eps)(4+eps)).
    pooled = torch.tensor([[0., 1.], [2., 5.]], dtype=torch.float64)
    b = loss_fn.inter_correlation(pooled[:, :, None, None])
    off = 2 / math.sqrt((1 + EPS) * (4 + EPS))
    torch.testing.assert_close(
        b, torch.tensor([[1 / (1 + EPS), off], [off, 4 / (4 + EPS)]],
                        dtype=torch.float64))


def test_zero_when_student_equals_teacher():
    feat = torch.randn(4, 5, 3, 3)
    assert ChannelCorrelationLoss()(feat, feat.clone()).item() == 0.0


def test_teacher_is_detached():
    fs = torch.randn(2, 3, 2, 2, requires_grad=True)
    ft = torch.randn(2, 3, 2, 2, requires_grad=True)
    ChannelCorrelationLoss()(fs, ft).backward()
    assert ft.grad is None and fs.grad is not None


@pytest.mark.parametrize('shape_s,shape_t,match', [
    ((2, 3, 4, 4), (2, 5, 4, 4), 'ConvModuleConnector'),
    ((2, 3, 4, 4), (3, 3, 4, 4), 'same b and C'),
    ((2, 3), (2, 3), r'\(b, C, H, W\)'),
    ((1, 3, 2, 2), (1, 3, 2, 2), 'at least 2 samples'),
])
def test_bad_shapes_raise(shape_s, shape_t, match):
    with pytest.raises(ValueError, match=match):
        ChannelCorrelationLoss()(torch.randn(shape_s), torch.randn(shape_t))
