"""ChannelContrastiveLoss against a naive loop implementation of eqs. 3-5."""
import math

import pytest
import torch

from mmdccd.models.losses import ChannelContrastiveLoss


def naive_norm(x, eps=1e-5):
    """Eq. (3), channel by channel, element by element."""
    rows, channels = len(x), len(x[0])
    out = [[0.0] * channels for _ in range(rows)]
    for j in range(channels):
        mean = sum(x[i][j] for i in range(rows)) / rows
        var = sum((x[i][j] - mean)**2 for i in range(rows)) / rows
        for i in range(rows):
            out[i][j] = (x[i][j] - mean) / math.sqrt(var + eps)
    return out


def naive_eye(c_s, c_t, theta, imitation_weight=1.0):
    """Eq. (4) with explicit sums over channel pairs."""
    b, d = len(c_s), len(c_s[0])
    imitation = contrastive = 0.0
    for i in range(d):
        for j in range(d):
            r = sum(c_s[k][i] * c_t[k][j] for k in range(b)) / b
            if i == j:
                imitation += (1 - r)**2
            else:
                contrastive += r**2
    return imitation_weight * imitation + theta / (d - 1) * contrastive


def naive_ccd(s, t, theta=2.0, imitation_weight=1.0):
    """Eq. (5): student view 1 with teacher view 2 and vice versa."""
    b = len(s) // 2
    s1, s2 = naive_norm(s[:b]), naive_norm(s[b:])
    t1, t2 = naive_norm(t[:b]), naive_norm(t[b:])
    return (naive_eye(s1, t2, theta, imitation_weight) +
            naive_eye(s2, t1, theta, imitation_weight))


@pytest.mark.parametrize('theta,imitation_weight', [(2.0, 1.0), (0.0, 1.0),
                                                    (3.5, 0.0)])
def test_matches_naive(theta, imitation_weight):
    torch.manual_seed(0)
    s = torch.randn(10, 6, dtype=torch.float64)
    t = torch.randn(10, 6, dtype=torch.float64)
    loss = ChannelContrastiveLoss(
        theta=theta, imitation_weight=imitation_weight)(s, t)
    expected = naive_ccd(s.tolist(), t.tolist(), theta, imitation_weight)
    assert loss.item() == pytest.approx(expected, rel=1e-10)


def test_gradient_matches_naive_finite_differences():
    torch.manual_seed(1)
    s = torch.randn(8, 4, dtype=torch.float64, requires_grad=True)
    t = torch.randn(8, 4, dtype=torch.float64)
    ChannelContrastiveLoss()(s, t).backward()
    h = 1e-6
    numeric = torch.zeros_like(s)
    for i in range(s.shape[0]):
        for j in range(s.shape[1]):
            plus, minus = s.detach().clone(), s.detach().clone()
            plus[i, j] += h
            minus[i, j] -= h
            numeric[i, j] = (naive_ccd(plus.tolist(), t.tolist()) - naive_ccd(
                minus.tolist(), t.tolist())) / (2 * h)
    torch.testing.assert_close(s.grad, numeric, rtol=1e-5, atol=1e-6)
    assert torch.autograd.gradcheck(
        lambda x: ChannelContrastiveLoss()(x, t), (s, ))


def test_identical_decorrelated_channels_give_zero():
    # Columns of a scaled Hadamard-like matrix: zero mean, unit variance and
    # mutually orthogonal, so R = I exactly.
    h = torch.tensor([[1, 1, 1], [-1, 1, -1], [1, -1, -1], [-1, -1, 1]],
                     dtype=torch.float64)
    loss_fn = ChannelContrastiveLoss(num_views=1, eps=0.0)
    assert loss_fn(h, h).item() == pytest.approx(0.0, abs=1e-12)
    # shifted and scaled channels normalise to the same thing
    assert loss_fn(3 * h + 7, h).item() == pytest.approx(0.0, abs=1e-12)
    # both views identical and decorrelated: eq. (5) is zero too
    two_views = torch.cat([h, h])
    assert ChannelContrastiveLoss(eps=0.0)(two_views, two_views).item() == \
        pytest.approx(0.0, abs=1e-12)


def test_hand_worked_value():
    # b = 2, d = 2: Norm gives +-1 columns. Student channels equal, teacher
    # channels opposite: R = [[1, -1], [1, -1]] -> imitation (1-1)^2 +
    # (1+1)^2 = 4, contrastive (-1)^2 + 1^2 = 2, theta/(d-1) = 2 -> 8.
    s = torch.tensor([[1., 5.], [-1., 3.]])
    t = torch.tensor([[2., 0.], [0., 2.]])
    loss = ChannelContrastiveLoss(num_views=1, eps=0.0)(s, t)
    assert loss.item() == pytest.approx(8.0)


def test_swapping_views_leaves_loss_unchanged():
    torch.manual_seed(2)
    s, t = torch.randn(12, 5), torch.randn(12, 5)
    loss_fn = ChannelContrastiveLoss()

    def swap(x):
        return torch.cat([x[6:], x[:6]])

    torch.testing.assert_close(loss_fn(s, t), loss_fn(swap(s), swap(t)))


def test_terms_switch_exactly():
    torch.manual_seed(3)
    s, t = torch.randn(8, 5), torch.randn(8, 5)
    both = ChannelContrastiveLoss(theta=2.0)(s, t)
    imitation = ChannelContrastiveLoss(theta=0.0)(s, t)
    contrastive = ChannelContrastiveLoss(theta=2.0, imitation_weight=0.0)(s,
                                                                         t)
    torch.testing.assert_close(both, imitation + contrastive)
    half = ChannelContrastiveLoss(theta=1.0, imitation_weight=0.0)(s, t)
    torch.testing.assert_close(contrastive, 2 * half)
    weighted = ChannelContrastiveLoss(loss_weight=0.25)(s, t)
    torch.testing.assert_close(weighted, 0.25 * both)


def test_teacher_gets_no_gradient():
    s = torch.randn(8, 3, requires_grad=True)
    t = torch.randn(8, 3, requires_grad=True)
    ChannelContrastiveLoss()(s, t).backward()
    assert s.grad is not None and t.grad is None


@pytest.mark.parametrize('s_shape,t_shape,match', [
    ((7, 4), (7, 4), 'not a multiple of 2'),
    ((2, 4), (2, 4), 'at least 2 rows'),
    ((8, 4), (8, 6), r'student \(8, 4\) and teacher \(8, 6\)'),
    ((8, 4, 1, 1), (8, 4, 1, 1), 'pooled'),
])
def test_bad_shapes_raise_value_error(s_shape, t_shape, match):
    with pytest.raises(ValueError, match=match):
        ChannelContrastiveLoss()(torch.randn(s_shape), torch.randn(t_shape))


def test_num_views_validated():
    with pytest.raises(ValueError, match='num_views'):
        ChannelContrastiveLoss(num_views=3)


def test_float32_under_bfloat16_autocast():
    """Mixed precision: bfloat16 features give the float32 loss of the same
    (rounded) values, not one computed with a bfloat16 matrix product."""
    torch.manual_seed(0)
    s = torch.randn(2 * 16, 32).bfloat16()
    t = torch.randn(2 * 16, 32).bfloat16()
    loss_fn = ChannelContrastiveLoss()
    with torch.autocast('cpu', dtype=torch.bfloat16):
        loss = loss_fn(s, t)
    assert loss.dtype == torch.float32
    expected = loss_fn(s.double(), t.double())
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)
