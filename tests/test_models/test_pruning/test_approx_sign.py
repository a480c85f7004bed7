"""The PDD gate: exactly 0/1 forward, piecewise-polynomial surrogate
backward."""
import pytest
import torch

from mmdccd.models.pruning.approx_sign import (ApproxSign, ChannelMask,
                                               approx_sign_gate)

GRID = [-1.5, -1.0, -0.75, -0.5, -0.25, -1e-3, 0.0, 1e-3, 0.25, 0.5, 0.75,
        0.999, 1.0, 1.5]


def surrogate(m: float) -> float:
    """d ApproxSign / dm, written from the paper's definition."""
    if -1 < m < 0:
        return 2 + 2 * m
    if 0 <= m < 1:
        return 2 - 2 * m
    return 0.0


def test_forward_is_exact_sign_and_gate():
    m = torch.tensor(GRID, dtype=torch.float64)
    sign = ApproxSign.apply(m)
    assert sign.tolist() == [-1.0 if v < 0 else 1.0 for v in GRID]
    gate = approx_sign_gate(m)
    assert gate.tolist() == [0.0 if v < 0 else 1.0 for v in GRID]


def test_backward_is_the_surrogate_on_a_grid():
    m = torch.tensor(GRID, dtype=torch.float64, requires_grad=True)
    ApproxSign.apply(m).sum().backward()
    assert m.grad.tolist() == pytest.approx([surrogate(v) for v in GRID])
    m.grad = None
    approx_sign_gate(m).sum().backward()
    assert m.grad.tolist() == pytest.approx(
        [surrogate(v) / 2 for v in GRID])
    # spot values by hand: m = -0.25 -> 2 - 0.5 = 1.5; m = 0.75 -> 0.5
    assert surrogate(-0.25) == 1.5 and surrogate(0.75) == 0.5


def test_channel_mask_gates_channels_and_gradient_reaches_closed_ones():
    mask = ChannelMask(3)
    with torch.no_grad():
        mask.m.copy_(torch.tensor([-0.5, 0.0, 0.25]))
    x = torch.arange(1., 13.).view(1, 3, 2, 2)
    y = mask(x)
    assert torch.equal(y[0, 0], torch.zeros(2, 2))
    assert torch.equal(y[0, 1:], x[0, 1:])
    y.sum().backward()
    # d sum / dm_c = sum_hw x_c * gate'(m_c); gate' = surrogate / 2
    sums = x[0].sum(dim=(1, 2))
    expected = sums * torch.tensor([surrogate(-0.5), surrogate(0.0),
                                    surrogate(0.25)]) / 2
    torch.testing.assert_close(mask.m.grad, expected)
    assert mask.kept_channels().tolist() == [1, 2]


def test_init_scale():
    torch.manual_seed(0)
    mask = ChannelMask(4096)
    assert mask.m.abs().max().item() < 0.01
    assert mask.m.std().item() == pytest.approx(1e-3, rel=0.1)


def test_wrong_width_raises():
    with pytest.raises(ValueError, match=r'\(N, 3, H, W\)'):
        ChannelMask(3)(torch.zeros(1, 4, 2, 2))
