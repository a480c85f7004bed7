"""RGBToLab against a naive per-pixel CIE Lab conversion."""
import numpy as np
import pytest

import mmdccd  # noqa: F401
from mmdccd.datasets.transforms import LAB_MEAN, LAB_STD, RGBToLab
from mmpretrain.registry import TRANSFORMS

# black, white, R, G, B, Y, C, M
EXTREMES = np.array([[0, 0, 0], [255, 255, 255], [255, 0, 0], [0, 255, 0],
                     [0, 0, 255], [255, 255, 0], [0, 255, 255],
                     [255, 0, 255]], np.uint8)


def naive_lab(rgb):
    """sRGB uint8 (R, G, B) -> CIE L*a*b* (D65), one pixel at a time."""

    def linear(c):
        c = c / 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055)**2.4

    def f(t):
        d = 6.0 / 29.0
        return t**(1.0 / 3.0) if t > d**3 else t / (3 * d * d) + 4.0 / 29.0

    r, g, b = (linear(float(c)) for c in rgb)
    x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b
    fx, fy, fz = f(x / 0.95047), f(y / 1.0), f(z / 1.08883)
    return (116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz))


def _pixels():
    rng = np.random.default_rng(0)
    return np.concatenate(
        [EXTREMES, rng.integers(0, 256, size=(248, 3), dtype=np.uint8)])


def test_matches_naive_lab_within_half_a_unit():
    pixels = _pixels()
    img = pixels.reshape(16, 16, 3)  # RGB
    out = TRANSFORMS.build(dict(type='RGBToLab', channel_order='rgb'))(
        dict(img=img.copy()))['img']
    assert out.dtype == np.float32 and out.shape == (16, 16, 3)
    lab = out.reshape(-1, 3) * np.array(LAB_STD) + np.array(LAB_MEAN)
    expected = np.array([naive_lab(p) for p in pixels])
    assert np.abs(lab - expected).max() < 0.5


def test_normalised_range_and_extremes():
    img = EXTREMES.reshape(1, 8, 3)
    out = RGBToLab(channel_order='rgb')(dict(img=img))['img'][0]
    assert out.min() >= -1.0 and out.max() <= 1.0
    mean, std = np.array(LAB_MEAN), np.array(LAB_STD)
    expected = (np.array([naive_lab(p) for p in EXTREMES]) - mean) / std
    np.testing.assert_allclose(out, expected, atol=0.5 / 50)
    # each channel's extremes of the sRGB gamut map to -1 / +1
    black, white, red, green, blue, yellow, cyan, magenta = out
    assert black[0] == -1.0 and white[0] == 1.0
    assert green[1] == pytest.approx(-1.0, abs=1e-3)
    assert magenta[1] == pytest.approx(1.0, abs=1e-3)
    assert blue[2] == pytest.approx(-1.0, abs=1e-3)
    assert yellow[2] == pytest.approx(1.0, abs=1e-3)


def test_channel_order_and_float_input():
    rgb = _pixels().reshape(16, 16, 3)
    ref = RGBToLab(channel_order='rgb')(dict(img=rgb.copy()))['img']
    bgr = rgb[..., ::-1].copy()  # what LoadImageFromFile would give
    np.testing.assert_allclose(
        RGBToLab(channel_order='bgr')(dict(img=bgr))['img'], ref, atol=1e-6)
    as_float = rgb.astype(np.float32) / 255.0
    np.testing.assert_allclose(
        RGBToLab(channel_order='rgb')(dict(img=as_float))['img'], ref,
        atol=1e-6)


def test_errors():
    with pytest.raises(ValueError, match="'rgb' or 'bgr'"):
        RGBToLab(channel_order='RGB')
    t = RGBToLab(channel_order='rgb')
    with pytest.raises(ValueError, match=r'\[0, 1\]'):
        t(dict(img=np.full((2, 2, 3), 255.0, np.float32)))
    with pytest.raises(ValueError, match='H x W x 3'):
        t(dict(img=np.zeros((4, 4), np.uint8)))
