"""Fashion-MNIST that honours ``split`` and reads IDX files as they ship.

mmpretrain 1.2.0's :class:`~mmpretrain.datasets.FashionMNIST` (like its
``MNIST``) picks the training or the test files by ``test_mode``, not by
``split``: ``split='test'`` with the default ``test_mode=False`` silently
loads the *training* set. It also wants un-gzipped files in ``data_root`` and
tries to download otherwise. :class:`LocalFashionMNIST` fixes both:

- ``split='train'`` reads ``train-images-idx3-ubyte`` /
  ``train-labels-idx1-ubyte``, ``split='test'`` reads ``t10k-*``, whatever
  ``test_mode`` says;
- each file is read un-gzipped if present, else as ``<name>.gz`` (Debian's
  ``dataset-fashion-mnist`` ships the gzipped files in
  ``/usr/share/datasets/fashion-mnist/``, which can be ``data_root`` as is);
- a validation split held out from the training set, for choosing
  hyper-parameters without touching the test set (:mod:`.held_out`):
  ``val_fraction`` of every class (stratified, a fixed permutation from
  ``seed``) is the ``'val'`` subset, the rest the ``'train'`` subset.

IDX format (big-endian): a 4-byte magic ``0x00 0x00 type ndim`` (type
``0x08`` = uint8), ``ndim`` 4-byte sizes, then the row-major data. Images are
``N x 28 x 28`` uint8 (0 = background), labels ``N`` uint8 in ``0 .. 9``.
Images come out as ``28 x 28`` uint8 arrays (one channel, as in mmpretrain).
"""
import warnings
from typing import List, Optional

import numpy as np
from mmengine.fileio import exists, join_path
from mmpretrain.datasets import FashionMNIST
from mmpretrain.datasets.mnist import read_sn3_pascalvincent_tensor
from mmpretrain.datasets.utils import rm_suffix
from mmpretrain.registry import DATASETS

from .held_out import SUBSETS, check_held_out_args, held_out_indices


@DATASETS.register_module()
class LocalFashionMNIST(FashionMNIST):
    """Fashion-MNIST chosen by ``split``, from plain or gzipped IDX files.

    Args:
        data_root (str): Folder holding the four IDX files (``.gz`` or not).
        split (str): ``'train'`` (60,000 images) or ``'test'`` (10,000).
            Defaults to ``'train'``.
        subset (str): Part of the split to use: ``'all'``, or, with
            ``split='train'`` and ``0 < val_fraction < 1``, ``'train'`` (the
            training images not held out) or ``'val'`` (the held-out ones).
            Defaults to ``'all'``.
        val_fraction (float): Fraction of every class of the training split
            held out as the ``'val'`` subset (rounded per class). Defaults
            to 0.
        seed (int): Seed of the fixed permutation that picks the held-out
            images; the same seed gives disjoint ``'train'`` and ``'val'``
            subsets that together are the training split. Defaults to 0.
        metainfo (dict, optional): Meta information, e.g. ``classes``.
            Defaults to None (mmpretrain's Fashion-MNIST class names).
        **kwargs: Other arguments of mmpretrain's ``BaseDataset``
            (``pipeline``, ``test_mode``, ``indices`` ...).
    """

    SUBSETS = SUBSETS

    def __init__(self,
                 data_root: str = '',
                 split: str = 'train',
                 subset: str = 'all',
                 val_fraction: float = 0.0,
                 seed: int = 0,
                 metainfo: Optional[dict] = None,
                 **kwargs) -> None:
        check_held_out_args(split, subset, val_fraction)
        self.subset = subset
        self.val_fraction = val_fraction
        self.seed = seed
        kwargs.pop('download', None)
        super().__init__(
            data_root=data_root,
            split=split,
            metainfo=metainfo,
            download=False,
            **kwargs)

    def _find_file(self, name: str) -> str:
        """Path of the IDX file ``name``, plain or gzipped.

        Raises:
            FileNotFoundError: If neither exists.
        """
        root = self.data_prefix['root']
        plain = join_path(root, rm_suffix(name))
        for path in (plain, plain + '.gz'):
            if exists(path):
                return path
        raise FileNotFoundError(
            f'{type(self).__name__}(split={self.split!r}) expected the IDX '
            f'file {plain} or {plain}.gz, but neither exists. Set data_root '
            'to the folder holding the Fashion-MNIST files (Debian: '
            '/usr/share/datasets/fashion-mnist after `apt-get install '
            'dataset-fashion-mnist`).')

    def _read_idx(self, name: str, ndim: int) -> np.ndarray:
        path = self._find_file(name)
        with warnings.catch_warnings():
            # mmpretrain wraps the read-only file buffer in a tensor; the
            # copy below makes the images writable for the pipeline.
            warnings.filterwarnings('ignore', message='The given NumPy array')
            array = read_sn3_pascalvincent_tensor(path, strict=True).numpy()
        array = array.copy()
        if array.dtype != np.uint8 or array.ndim != ndim:
            raise ValueError(
                f'{path}: expected a uint8 IDX file with {ndim} dimensions, '
                f'but found {array.dtype} with shape {array.shape}.')
        return array

    def load_data_list(self) -> List[dict]:
        """Read the split's IDX files and keep the requested subset.

        Returns:
            list[dict]: ``{'img': 28 x 28 uint8, 'gt_label': int}`` per image,
            in file order.
        """
        files = self.train_list if self.split == 'train' else self.test_list
        imgs = self._read_idx(files[0][0], ndim=3)
        labels = self._read_idx(files[1][0], ndim=1).astype(np.int64)
        if len(imgs) != len(labels):
            raise ValueError(
                f'{type(self).__name__}(split={self.split!r}): the image file '
                f'holds {len(imgs)} images but the label file {len(labels)} '
                'labels; they must be the matching pair of files.')
        keep = held_out_indices(labels, self.subset, self.val_fraction,
                                self.seed)
        return [{'img': imgs[i], 'gt_label': int(labels[i])} for i in keep]
