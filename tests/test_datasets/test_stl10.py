"""STL10 on .bin files written in the binary format (column-major planes)."""
import os.path as osp
import pickle

import numpy as np
import pytest
import torch

import mmdccd  # noqa: F401
from mmdccd.datasets import STL10
from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS
from tests.test_datasets.writers import write_stl10

NAMES = ['airplane', 'bird', 'car', 'cat', 'deer', 'dog', 'horse', 'monkey',
         'ship', 'truck']


def _images(n, seed):
    return np.random.default_rng(seed).integers(
        0, 256, size=(n, 96, 96, 3), dtype=np.uint8)


@pytest.fixture(scope='module')
def stl(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('stl'))
    imgs = {
        'train': _images(3, 0),
        'test': _images(2, 1),
        'unlabeled': _images(4, 2)
    }
    write_stl10(
        root, imgs, {'train': [1, 10, 4], 'test': [7, 2]},
        class_names=NAMES)
    return root, imgs


def test_orientation_of_a_marker_pixel(tmp_path):
    """Row 3, column 10, channel 1 (green), written byte by byte at the
    column-major offset ``c * 96 * 96 + col * 96 + row``."""
    record = bytearray(3 * 96 * 96)
    record[1 * 96 * 96 + 10 * 96 + 3] = 255
    folder = tmp_path / 'stl10_binary'
    folder.mkdir()
    (folder / 'train_X.bin').write_bytes(bytes(3 * 96 * 96) + bytes(record))
    (folder / 'train_y.bin').write_bytes(bytes([5, 3]))
    ds = STL10(data_root=str(tmp_path), split='train')
    img = ds.get_data_info(1)['img']
    assert img.shape == (96, 96, 3) and img.dtype == np.uint8
    assert img[3, 10, 1] == 255 and img.sum() == 255
    assert ds.get_data_info(0)['img'].sum() == 0
    assert [ds.get_data_info(i)['gt_label'] for i in range(2)] == [4, 2]


@pytest.mark.parametrize('split,labels', [('train', [0, 9, 3]),
                                          ('test', [6, 1]),
                                          ('unlabeled', [-1] * 4)])
def test_splits_through_pipeline(stl, split, labels):
    root, imgs = stl
    ds = DATASETS.build(
        dict(
            type='STL10',
            data_root=root,
            split=split,
            pipeline=[dict(type='PackInputs')]))
    assert list(ds.CLASSES) == NAMES
    assert len(ds) == len(labels)
    for i, label in enumerate(labels):
        np.testing.assert_array_equal(ds.get_data_info(i)['img'],
                                      imgs[split][i])
        packed = ds[i]
        assert torch.equal(packed['inputs'],
                           torch.from_numpy(imgs[split][i]).permute(2, 0, 1))
        assert packed['data_samples'].gt_label.tolist() == [label]
        assert packed['data_samples'].sample_idx == i


def test_images_are_read_lazily_from_a_memmap(stl):
    root, imgs = stl
    ds = STL10(data_root=root, split='unlabeled')
    # the stored infos hold no image
    info = BaseDataset.get_data_info(ds, 2)
    assert 'img' not in info and info['stl10_index'] == 2
    assert ds._memmap is None  # nothing mapped until an image is read
    ds.get_data_info(2)
    assert isinstance(ds._memmap, np.memmap) and ds._memmap.mode == 'r'
    # pickling (dataloader workers with spawn) carries no image data
    blob = pickle.dumps(ds)
    assert len(blob) < imgs['unlabeled'].nbytes
    clone = pickle.loads(blob)
    assert clone._memmap is None
    np.testing.assert_array_equal(clone.get_data_info(3)['img'],
                                  imgs['unlabeled'][3])


def test_subset_indices_and_folder_as_root(stl):
    root, imgs = stl
    ds = STL10(data_root=osp.join(root, 'stl10_binary'), split='train',
               indices=[2])
    assert len(ds) == 1
    np.testing.assert_array_equal(ds.get_data_info(0)['img'],
                                  imgs['train'][2])


def test_errors(stl, tmp_path):
    root, _ = stl
    with pytest.raises(ValueError, match='unlabeled'):
        STL10(data_root=root, split='train+unlabeled')
    with pytest.raises(FileNotFoundError, match='stl10_binary'):
        STL10(data_root=str(tmp_path))
    folder = tmp_path / 'stl10_binary'
    folder.mkdir()
    (folder / 'train_X.bin').write_bytes(bytes(3 * 96 * 96 + 5))
    (folder / 'train_y.bin').write_bytes(bytes([1]))
    with pytest.raises(ValueError, match='27648'):
        STL10(data_root=str(tmp_path))
    (folder / 'train_X.bin').write_bytes(bytes(2 * 3 * 96 * 96))
    with pytest.raises(ValueError, match='1 labels'):
        STL10(data_root=str(tmp_path))
    (folder / 'train_y.bin').write_bytes(bytes([1, 11]))
    with pytest.raises(ValueError, match='1 .. 10'):
        STL10(data_root=str(tmp_path))
