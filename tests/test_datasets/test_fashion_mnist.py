"""LocalFashionMNIST on IDX files (gzipped and plain) written in the test."""
import os.path as osp

import numpy as np
import pytest

import mmdccd  # noqa: F401
from mmdccd.datasets import LocalFashionMNIST
from mmpretrain.datasets import FashionMNIST
from mmpretrain.registry import DATASETS
from tests.test_datasets.writers import write_idx

NUM_TRAIN, NUM_TEST = 40, 5


def _images(n, offset):
    """Image i has the id ``offset + i`` in pixel (0, 0) and a bright pixel
    at row i % 28, column 3."""
    imgs = np.zeros((n, 28, 28), np.uint8)
    for i in range(n):
        imgs[i, 0, 0] = offset + i
        imgs[i, i % 28, 3] = 200
    return imgs


@pytest.fixture(scope='module')
def roots(tmp_path_factory):
    """One folder with gzipped files (as Debian ships them), one plain."""
    train_labels = np.array([i % 10 for i in range(NUM_TRAIN)], np.uint8)
    test_labels = np.array([9, 0, 4, 4, 1], np.uint8)
    arrays = {
        'train-images-idx3-ubyte': _images(NUM_TRAIN, 0),
        'train-labels-idx1-ubyte': train_labels,
        't10k-images-idx3-ubyte': _images(NUM_TEST, 100),
        't10k-labels-idx1-ubyte': test_labels,
    }
    out = {}
    for kind, gz in (('gz', True), ('plain', False)):
        root = str(tmp_path_factory.mktemp(kind))
        for name, array in arrays.items():
            write_idx(osp.join(root, name), array, gzipped=gz)
        out[kind] = root
    return out, train_labels, test_labels


@pytest.mark.parametrize('kind', ['gz', 'plain'])
def test_split_chooses_files(roots, kind):
    folders, train_labels, test_labels = roots
    test = DATASETS.build(
        dict(
            type='LocalFashionMNIST',
            data_root=folders[kind],
            split='test',
            pipeline=[dict(type='PackInputs')]))
    assert len(test) == NUM_TEST
    assert [test.get_data_info(i)['gt_label']
            for i in range(NUM_TEST)] == test_labels.tolist()
    img = test.get_data_info(2)['img']
    assert img.shape == (28, 28) and img[0, 0] == 102 and img[2, 3] == 200
    packed = test[2]
    assert packed['inputs'].shape == (1, 28, 28)
    assert packed['data_samples'].gt_label.tolist() == [4]

    train = LocalFashionMNIST(data_root=folders[kind], split='train')
    assert len(train) == NUM_TRAIN
    assert train.get_data_info(13)['img'][0, 0] == 13
    assert train.get_data_info(13)['gt_label'] == 3


def test_mmpretrain_ignores_split(roots):
    """The bug this class exists for: mmpretrain's FashionMNIST with
    split='test' (test_mode False) loads the training files."""
    folders, _, _ = roots
    ds = FashionMNIST(data_root=folders['plain'], split='test', download=False)
    assert len(ds) == NUM_TRAIN


def test_held_out_validation(roots):
    folders, train_labels, _ = roots
    kw = dict(data_root=folders['gz'], split='train', val_fraction=0.25)
    val = LocalFashionMNIST(subset='val', **kw)
    rest = LocalFashionMNIST(subset='train', **kw)
    ids = lambda ds: [int(ds.get_data_info(i)['img'][0, 0])  # noqa: E731
                      for i in range(len(ds))]
    # 4 images a class, round(0.25 * 4) = 1 held out a class
    assert len(val) == 10 and len(rest) == 30
    assert set(ids(val)).isdisjoint(ids(rest))
    assert sorted(ids(val) + ids(rest)) == list(range(NUM_TRAIN))
    assert sorted(train_labels[ids(val)].tolist()) == list(range(10))
    # labels travel with their images
    for i in range(len(val)):
        info = val.get_data_info(i)
        assert info['gt_label'] == train_labels[info['img'][0, 0]]
    # fixed seed: the same subset every time
    assert ids(LocalFashionMNIST(subset='val', **kw)) == ids(val)


def test_errors(roots, tmp_path):
    folders, _, _ = roots
    with pytest.raises(ValueError, match="split='train'"):
        LocalFashionMNIST(
            data_root=folders['gz'], split='test', subset='val',
            val_fraction=0.1)
    with pytest.raises(ValueError, match='val_fraction'):
        LocalFashionMNIST(data_root=folders['gz'], subset='val')
    with pytest.raises(FileNotFoundError, match='t10k-images-idx3-ubyte'):
        LocalFashionMNIST(data_root=str(tmp_path), split='test')
