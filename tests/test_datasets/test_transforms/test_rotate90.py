"""RandomRotate90: quarter turns of the (H, W, C) image, drawn so that each
view takes each of the four orientations with probability 1/4 by default."""
import numpy as np
import pytest

import mmdccd.datasets.transforms.rotate90  # noqa: F401  (registers it)
from mmdccd.datasets.transforms.rotate90 import RandomRotate90


def _image():
    # 2 x 3 image with 2 channels; value = 10 * row + col (+ 100 for ch 1)
    base = np.array([[0, 1, 2], [10, 11, 12]], dtype=np.uint8)
    return np.stack([base, base + 100], axis=-1)


def test_quarter_turns_by_hand(monkeypatch):
    img = _image()
    expected = {
        0: [[0, 1, 2], [10, 11, 12]],
        # 90 degrees counter-clockwise: the last column becomes the top row
        1: [[2, 12], [1, 11], [0, 10]],
        2: [[12, 11, 10], [2, 1, 0]],
        3: [[10, 0], [11, 1], [12, 2]],
    }
    for k, rows in expected.items():
        transform = RandomRotate90()
        monkeypatch.setattr(transform, '_random_k', lambda k=k: k)
        out = transform({'img': img.copy()})
        assert out['rotate90_k'] == k
        np.testing.assert_array_equal(out['img'][..., 0], rows)
        np.testing.assert_array_equal(out['img'][..., 1],
                                      np.array(rows) + 100)
        assert out['img_shape'] == out['img'].shape[:2]
        assert out['img'].flags['C_CONTIGUOUS']


def test_orientation_frequencies():
    np.random.seed(0)
    transform = RandomRotate90()  # prob 0.75: k uniform over {0, 1, 2, 3}
    ks = [transform({'img': _image()})['rotate90_k'] for _ in range(4000)]
    freq = np.bincount(ks, minlength=4) / len(ks)
    # binomial std of a frequency of 1/4 over 4000 draws: 0.0068
    np.testing.assert_allclose(freq, [0.25] * 4, atol=0.03)

    never = RandomRotate90(prob=0.0)
    assert {never({'img': _image()})['rotate90_k'] for _ in range(50)} == {0}
    always = RandomRotate90(prob=1.0)
    ks = {always({'img': _image()})['rotate90_k'] for _ in range(200)}
    assert ks == {1, 2, 3}


def test_registered_and_in_dual_view():
    from mmpretrain.registry import TRANSFORMS

    import mmdccd  # noqa: F401
    dual = TRANSFORMS.build(
        dict(
            type='DualView',
            transforms=[dict(type='RandomRotate90', prob=1.0)]))
    np.random.seed(1)
    out = dual({'img': np.arange(16, dtype=np.uint8).reshape(4, 4)})
    # each view is some non-trivial rotation of the same image
    for view in out['img']:
        assert any(
            np.array_equal(view, np.rot90(np.arange(16).reshape(4, 4), k))
            for k in (1, 2, 3))


def test_errors():
    with pytest.raises(ValueError, match='prob'):
        RandomRotate90(prob=1.5)
    with pytest.raises(ValueError, match='img'):
        RandomRotate90()({'gt_label': 1})
