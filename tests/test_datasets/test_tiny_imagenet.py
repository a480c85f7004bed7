"""TinyImageNet on a generated tiny-imagenet-200 tree with JPEG images."""
import numpy as np
import pytest

import mmdccd  # noqa: F401
from mmdccd.datasets import TinyImageNet
from mmpretrain.registry import DATASETS
from tests.test_datasets.writers import write_tiny_imagenet

# wnids.txt order is deliberately not sorted
WNIDS = ['n09999999', 'n01443537', 'n05555555']
COLOURS = {  # RGB
    'n09999999': (200, 30, 60),
    'n01443537': (20, 220, 40),
    'n05555555': (90, 90, 250),
}
VAL = [('val_0.JPEG', 'n05555555'), ('val_1.JPEG', 'n09999999'),
       ('val_2.JPEG', 'n01443537'), ('val_3.JPEG', 'n09999999')]
PIPELINE = [dict(type='LoadImageFromFile'), dict(type='PackInputs')]


@pytest.fixture(scope='module')
def root(tmp_path_factory):
    return write_tiny_imagenet(
        str(tmp_path_factory.mktemp('tiny')) + '/tiny-imagenet-200', WNIDS,
        COLOURS, num_train=2, val=VAL, size=64)


def _bgr_mean(inputs):
    return inputs.float().mean(dim=(1, 2)).numpy()


def test_train_split(root):
    ds = DATASETS.build(
        dict(type='TinyImageNet', data_root=root, pipeline=PIPELINE))
    # classes = sorted wnids: n01443537 -> 0, n05555555 -> 1, n09999999 -> 2
    assert list(ds.CLASSES) == ['n01443537', 'n05555555', 'n09999999']
    assert len(ds) == 6
    assert [ds.get_data_info(i)['gt_label'] for i in range(6)] == \
        [0, 0, 1, 1, 2, 2]
    assert ds.get_data_info(5)['img_path'].endswith(
        'train/n09999999/images/n09999999_1.JPEG')
    packed = ds[4]
    assert packed['inputs'].shape == (3, 64, 64)
    assert packed['data_samples'].gt_label.tolist() == [2]
    # LoadImageFromFile decodes to BGR: (200, 30, 60) RGB -> (60, 30, 200)
    np.testing.assert_allclose(_bgr_mean(packed['inputs']), [60, 30, 200],
                               atol=3)


def test_val_split(root):
    ds = TinyImageNet(data_root=root, split='val', pipeline=PIPELINE)
    assert len(ds) == 4
    # val_0 n05555555 -> 1, val_1 n09999999 -> 2, val_2 n01443537 -> 0
    assert [ds.get_data_info(i)['gt_label'] for i in range(4)] == \
        [1, 2, 0, 2]
    packed = ds[2]
    np.testing.assert_allclose(_bgr_mean(packed['inputs']), [40, 220, 20],
                               atol=3)


def test_errors(root, tmp_path):
    with pytest.raises(ValueError, match="'train', 'val'"):
        TinyImageNet(data_root=root, split='test')
    with pytest.raises(FileNotFoundError, match='wnids.txt'):
        TinyImageNet(data_root=str(tmp_path))
    bad = write_tiny_imagenet(
        str(tmp_path / 'bad'), WNIDS, COLOURS, num_train=1,
        val=[('v.JPEG', 'n09999999')], size=8)
    with open(bad + '/val/val_annotations.txt', 'a') as f:
        f.write('w.JPEG\tn00000001\t0\t0\t1\t1\n')
    with pytest.raises(ValueError, match='n00000001'):
        TinyImageNet(data_root=bad, split='val')
