"""DualView: one decode, two independent augmentations, both collates."""
import numpy as np
import pytest
from mmcv.transforms import BaseTransform
from mmengine.dataset import default_collate, pseudo_collate
from mmpretrain.registry import TRANSFORMS

from mmdccd.datasets.transforms.dual_view import DualView
from mmdccd.models.data_preprocessors import MultiViewClsDataPreprocessor


class CountingDecode(BaseTransform):
    """Stands in for LoadImageFromFile and counts its calls."""
    calls = 0

    def transform(self, results):
        type(self).calls += 1
        rng = np.random.default_rng(results['seed'])
        results['img'] = rng.integers(0, 256, (12, 12, 3), dtype=np.uint8)
        results['gt_label'] = results['seed'] % 3
        return results


def build_pipeline():
    return [
        CountingDecode(),
        TRANSFORMS.build(
            dict(
                type='DualView',
                transforms=[
                    dict(type='RandomCrop', crop_size=8, padding=2),
                    dict(type='RandomFlip', prob=0.5),
                ])),
        TRANSFORMS.build(dict(type='PackInputs')),
    ]


def run(pipeline, results):
    for transform in pipeline:
        results = transform(results)
    return results


def test_decodes_once_and_views_differ():
    np.random.seed(0)
    CountingDecode.calls = 0
    pipeline = build_pipeline()
    packed = [run(pipeline, dict(seed=i)) for i in range(8)]
    assert CountingDecode.calls == 8  # once per image, not per view
    differ = 0
    for sample in packed:
        v1, v2 = sample['inputs']
        assert v1.shape == v2.shape == (3, 8, 8)
        differ += int(not v1.equal(v2))
    assert differ >= 6  # independent random crops/flips
    # each view is a crop of the same decoded image
    decoded = CountingDecode().transform(dict(seed=0))['img']
    padded = np.pad(decoded, ((2, 2), (2, 2), (0, 0)))
    for view in packed[0]['inputs']:
        patch = view.permute(1, 2, 0).numpy()
        found = any(
            np.array_equal(patch, padded[y:y + 8, x:x + 8])
            or np.array_equal(patch, padded[y:y + 8, x:x + 8][:, ::-1])
            for y in range(9) for x in range(9))
        assert found


@pytest.mark.parametrize('collate', [default_collate, pseudo_collate])
def test_feeds_the_preprocessor_with_both_collates(collate):
    pipeline = build_pipeline()
    batch = collate([run(pipeline, dict(seed=i)) for i in range(3)])
    out = MultiViewClsDataPreprocessor()(batch, training=True)
    assert out['inputs'].shape == (6, 3, 8, 8)
    assert [int(s.gt_label) for s in out['data_samples']] == [0, 1, 2] * 2


def test_second_pipeline_and_errors():
    flip = DualView(
        transforms=[],
        second_transforms=[dict(type='RandomFlip', prob=1.0)])
    img = np.arange(12, dtype=np.uint8).reshape(2, 2, 3)
    out = flip(dict(img=img))
    assert np.array_equal(out['img'][0], img)
    assert np.array_equal(out['img'][1], img[:, ::-1])
    with pytest.raises(ValueError, match='after LoadImageFromFile'):
        DualView(transforms=[])(dict(img_path='x.png'))


def test_view_keys_keep_every_views_value():
    """RandomRotate90 in each view: rotate90_k becomes one value a view, and
    each view's image is rotated by its own value."""
    np.random.seed(3)
    dual = DualView(transforms=[dict(type='RandomRotate90', prob=1.0)])
    img = np.arange(12, dtype=np.uint8).reshape(2, 2, 3)
    seen = set()
    for _ in range(20):
        out = dual(dict(img=img))
        assert len(out['rotate90_k']) == 2
        for view, k in zip(out['img'], out['rotate90_k']):
            assert np.array_equal(view, np.rot90(img, k, axes=(0, 1)))
        seen.add(tuple(out['rotate90_k']))
    assert len(seen) > 3  # the views turn independently
    # without a rotation the key is not invented
    assert 'rotate90_k' not in DualView(transforms=[])(dict(img=img))
    one_sided = DualView(
        transforms=[],
        second_transforms=[dict(type='RandomRotate90', prob=1.0)])
    with pytest.raises(ValueError, match=r'view\(s\) \[1\] of 2'):
        one_sided(dict(img=img))
