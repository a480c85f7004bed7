"""AdaptivePoolFlatten against a naive cell-by-cell pooling."""
import math

import pytest
import torch

# Import the module itself so the neck registers even before
# mmdccd.models imports mmdccd.models.necks.
from mmdccd.models.necks.adaptive_pool_flatten import AdaptivePoolFlatten


def naive_pool_flatten(x, h, w, reduce):
    """Cell (i, j) covers rows floor(i*H/h) .. ceil((i+1)*H/h)-1 and the
    matching columns; output order: channel, then row cell, then column
    cell."""
    n, c, height, width = x.shape
    out = torch.empty(n, c * h * w, dtype=x.dtype)
    for b in range(n):
        k = 0
        for ch in range(c):
            for i in range(h):
                r0, r1 = math.floor(i * height / h), math.ceil(
                    (i + 1) * height / h)
                for j in range(w):
                    c0, c1 = math.floor(j * width / w), math.ceil(
                        (j + 1) * width / w)
                    cell = [
                        float(x[b, ch, r, s]) for r in range(r0, r1)
                        for s in range(c0, c1)
                    ]
                    out[b, k] = sum(cell) / len(cell) if reduce == 'avg' \
                        else max(cell)
                    k += 1
    return out


@pytest.mark.parametrize('pool_type', ['avg', 'max'])
@pytest.mark.parametrize('shape,size', [((2, 3, 8, 8), 3),
                                        ((1, 2, 7, 5), (3, 2)),
                                        ((2, 4, 6, 6), 6)])
def test_matches_naive_pooling(pool_type, shape, size):
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(1))
    neck = AdaptivePoolFlatten(size, pool_type=pool_type)
    h, w = (size, size) if isinstance(size, int) else size
    expected = naive_pool_flatten(x, h, w, pool_type)
    (out, ) = neck((x, ))
    assert out.shape == (shape[0], shape[1] * h * w)
    torch.testing.assert_close(out, expected)
    torch.testing.assert_close(neck(x), expected)  # a bare tensor works too


def test_hand_worked_cells():
    # a 1-channel 4x4 map 0..15 pooled to 2x2: the means of the four
    # quadrants are (0+1+4+5)/4 = 2.5, 4.5, 10.5, 12.5
    x = torch.arange(16.).reshape(1, 1, 4, 4)
    out = AdaptivePoolFlatten(2)(x)
    torch.testing.assert_close(out, torch.tensor([[2.5, 4.5, 10.5, 12.5]]))
    # 3x3 cells of a 4x4 map overlap: rows {0,1}, {1,2}, {2,3}
    out = AdaptivePoolFlatten(3, pool_type='max')(x)
    torch.testing.assert_close(
        out, torch.tensor([[5., 6., 7., 9., 10., 11., 13., 14., 15.]]))


def test_probe_widths_of_the_readme():
    # the four ResNet-18 stages at 64x64 input (CIFAR stem): the README's
    # sizes 8, 6, 4, 3 give probe widths 4096, 4608, 4096, 4608
    widths = []
    for ch, side, size in ((64, 64, 8), (128, 32, 6), (256, 16, 4),
                           (512, 8, 3)):
        out = AdaptivePoolFlatten(size)(torch.zeros(1, ch, side, side))
        widths.append(out.shape[1])
    assert widths == [4096, 4608, 4096, 4608]


def test_registered_and_clear_errors():
    from mmpretrain.registry import MODELS
    neck = MODELS.build(dict(type='AdaptivePoolFlatten', output_size=2))
    assert isinstance(neck, AdaptivePoolFlatten)
    with pytest.raises(ValueError, match='output_size'):
        AdaptivePoolFlatten(0)
    with pytest.raises(ValueError, match='pool_type'):
        AdaptivePoolFlatten(2, pool_type='sum')
    with pytest.raises(ValueError, match=r'\(N, C, H, W\)'):
        neck(torch.zeros(2, 8))
