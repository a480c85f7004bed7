"""LocalCIFAR100 / LocalCIFAR10 on files written in the official python-2
pickle format (tests/test_datasets/writers.py)."""
import numpy as np
import pytest
import torch

import mmdccd  # noqa: F401
from mmdccd.datasets import LocalCIFAR10, LocalCIFAR100
from mmpretrain.datasets import CIFAR100
from mmpretrain.registry import DATASETS
from tests.test_datasets.writers import write_cifar10, write_cifar100

TRAIN_LABELS = [3, 97, 0, 50, 99, 12]
TEST_LABELS = [7, 8, 9]
FINE_NAMES = [f'fine{i}' for i in range(100)]


def _images(n, seed):
    return np.random.default_rng(seed).integers(
        0, 256, size=(n, 32, 32, 3), dtype=np.uint8)


@pytest.fixture(scope='module')
def cifar100_root(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('cifar100'))
    train = _images(6, 0)
    train[0] = 0
    train[0, 5, 7, 1] = 255  # one green pixel at row 5, column 7
    write_cifar100(root, train, TRAIN_LABELS, _images(3, 1), TEST_LABELS,
                   FINE_NAMES)
    return root, train


def test_cifar100_reads_real_format(cifar100_root):
    root, train = cifar100_root
    ds = DATASETS.build(
        dict(
            type='LocalCIFAR100',
            data_root=root,
            split='train',
            verify_md5=False,
            pipeline=[dict(type='PackInputs')]))
    assert isinstance(ds, CIFAR100)
    assert len(ds) == 6
    assert [ds.get_data_info(i)['gt_label']
            for i in range(6)] == TRAIN_LABELS
    # the marker pixel (R, G, B planes row-major -> HWC RGB)
    img0 = ds.get_data_info(0)['img']
    assert img0.shape == (32, 32, 3) and img0.dtype == np.uint8
    assert img0[5, 7, 1] == 255 and img0.sum() == 255
    np.testing.assert_array_equal(ds.get_data_info(4)['img'], train[4])

    packed = ds[4]
    assert packed['inputs'].shape == (3, 32, 32)
    assert torch.equal(packed['inputs'],
                       torch.from_numpy(train[4]).permute(2, 0, 1))
    assert packed['data_samples'].gt_label.tolist() == [99]
    # the per-sample index reaches the data sample (default PackInputs)
    assert packed['data_samples'].sample_idx == 4

    test = LocalCIFAR100(data_root=root, split='test', verify_md5=False)
    assert [test.get_data_info(i)['gt_label'] for i in range(3)] == \
        TEST_LABELS


def test_cifar100_meta_file(cifar100_root):
    root, _ = cifar100_root
    ds = LocalCIFAR100(data_root=root, verify_md5=False)
    # The class names come from mmpretrain's list unless missing; the
    # meta file is read (without md5 check) when they are.
    ds._metainfo.pop('classes')
    ds._load_meta()
    assert list(ds.CLASSES) == FINE_NAMES


def test_cifar100_md5_switch(cifar100_root, tmp_path):
    root, _ = cifar100_root
    # default: official md5 sums are checked; our files are not official
    with pytest.raises(ValueError, match='verify_md5=False'):
        LocalCIFAR100(data_root=root)
    # mmpretrain's own class refuses the same files
    with pytest.raises(RuntimeError):
        CIFAR100(data_root=root, download=False)
    with pytest.raises(FileNotFoundError, match='cifar-100-python'):
        LocalCIFAR100(data_root=str(tmp_path), verify_md5=False)


def test_cifar10_reads_real_format(tmp_path):
    batches = [_images(2, k) for k in range(5)]
    labels = [[k, 9 - k] for k in range(5)]
    test = _images(2, 9)
    write_cifar10(str(tmp_path), batches, labels, test, [4, 2])
    train = LocalCIFAR10(data_root=str(tmp_path), verify_md5=False)
    assert len(train) == 10
    assert [train.get_data_info(i)['gt_label'] for i in range(10)] == \
        [0, 9, 1, 8, 2, 7, 3, 6, 4, 5]
    np.testing.assert_array_equal(train.get_data_info(7)['img'],
                                  batches[3][1])
    test_ds = LocalCIFAR10(
        data_root=str(tmp_path), split='test', verify_md5=False)
    np.testing.assert_array_equal(test_ds.get_data_info(1)['img'], test[1])
    with pytest.raises(ValueError, match='verify_md5=False'):
        LocalCIFAR10(data_root=str(tmp_path))


def test_cifar10_holds_out_a_stratified_val_subset(tmp_path):
    # 5 batches x 8 images, labels 0..9 four times each
    labels = [[(4 * b + i) % 10 for i in range(8)] for b in range(5)]
    write_cifar10(str(tmp_path), [_images(8, b) for b in range(5)], labels,
                  _images(2, 9), [0, 1])
    flat = sum(labels, [])
    kw = dict(data_root=str(tmp_path), split='train', verify_md5=False,
              val_fraction=0.25, seed=3)

    def rows(ds):
        return {ds.get_data_info(i)['img'].tobytes() for i in range(len(ds))}

    val = LocalCIFAR10(subset='val', **kw)
    rest = LocalCIFAR10(subset='train', **kw)
    whole = LocalCIFAR10(data_root=str(tmp_path), verify_md5=False)
    # one of the four images of every class is held out
    assert sorted(val.get_data_info(i)['gt_label']
                  for i in range(len(val))) == list(range(10))
    assert len(rest) == 30 and len(whole) == len(flat) == 40
    assert not rows(val) & rows(rest)
    assert rows(val) | rows(rest) == rows(whole)
    assert rows(LocalCIFAR10(subset='val', **kw)) == rows(val)
    with pytest.raises(ValueError, match="needs split='train'"):
        LocalCIFAR10(data_root=str(tmp_path), split='test', subset='val',
                     val_fraction=0.1, verify_md5=False)
