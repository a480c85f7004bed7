"""CIFAR-10 / CIFAR-100 read from local files in the official python format.

mmpretrain's :class:`~mmpretrain.datasets.CIFAR10` and
:class:`~mmpretrain.datasets.CIFAR100` read the official python-pickle files
(``cifar-10-batches-py/{data_batch_1..5,test_batch,batches.meta}`` and
``cifar-100-python/{train,test,meta}``), but they insist on the md5 sums of
the official archive: any other file in the same format (a subset, a
re-pickled copy, the small files the tests write) is "corrupted" and triggers
a download. The classes here call mmpretrain's own loader unchanged and add
one switch, ``verify_md5``:

- ``verify_md5=True`` (default): exactly mmpretrain's behaviour, md5 sums of
  the official files are checked.
- ``verify_md5=False``: the files only have to exist; their content is read
  by the same mmpretrain code.

They also default to ``download=False``: a missing file is an error that
names the folder, not a network access; and ``subset`` / ``val_fraction`` /
``seed`` hold a stratified validation subset out of the training split
(:mod:`.held_out`), so that nothing is chosen on the test set.

File format (python pickle, written by python 2; mmpretrain unpickles with
``encoding='latin1'`` so the keys come back as ``str``): a dict with
``'data'`` (uint8, ``N x 3072``: each row is the red, green and blue
``32 x 32`` planes, each row-major) and ``'fine_labels'`` (CIFAR-100) or
``'labels'`` (CIFAR-10). Images come out **RGB**, ``32 x 32 x 3`` uint8
(mmpretrain's convention for CIFAR: use ``to_rgb=False`` in the data
preprocessor).

The per-sample index: mmengine's ``BaseDataset.get_data_info`` writes
``sample_idx`` (the index in this dataset, ``0 .. len - 1``) into every data
info, and mmpretrain's ``PackInputs`` keeps ``sample_idx`` in its default
``meta_keys``; so ``data_sample.sample_idx`` is the dataset index with no
extra class (memory-bank methods such as CRD read it from there). A pipeline
that sets its own ``meta_keys`` must list ``'sample_idx'``.
"""
from typing import Optional

import numpy as np
from mmengine.fileio import exists, join_path
from mmpretrain.datasets import CIFAR10, CIFAR100
from mmpretrain.registry import DATASETS

from .held_out import check_held_out_args, held_out_indices


class _LocalCIFARMixin:
    """Adds the ``verify_md5`` switch, the held-out subsets and local-only
    defaults to mmpretrain's CIFAR classes (which hold the file lists and the
    loader); the arguments are documented on the classes below."""

    def __init__(self,
                 data_root: str = '',
                 split: str = 'train',
                 verify_md5: bool = True,
                 subset: str = 'all',
                 val_fraction: float = 0.0,
                 seed: int = 0,
                 download: bool = False,
                 metainfo: Optional[dict] = None,
                 **kwargs) -> None:
        check_held_out_args(split, subset, val_fraction)
        self.verify_md5 = verify_md5
        self.subset = subset
        self.val_fraction = val_fraction
        self.seed = seed
        super().__init__(
            data_root=data_root,
            split=split,
            metainfo=metainfo,
            download=download,
            **kwargs)

    def _check_integrity(self) -> bool:
        """Check that every file exists and, when ``verify_md5``, that its
        md5 sum is the official one (mmpretrain's check)."""
        if self.verify_md5:
            return super()._check_integrity()
        root = self.data_prefix['root']
        for filename, _ in self.train_list + self.test_list:
            if not exists(join_path(root, self.base_folder, filename)):
                return False
        return True

    def _load_meta(self) -> None:
        """Read the class names from the meta file (only used when no
        ``classes`` were given), checking md5 only when ``verify_md5``."""
        if self.verify_md5:
            return super()._load_meta()
        meta = dict(self.meta, md5=None)
        original, self.meta = self.meta, meta
        try:
            super()._load_meta()
        finally:
            self.meta = original

    def _missing_files(self) -> list:
        root = self.data_prefix['root']
        return [
            join_path(root, self.base_folder, name)
            for name, _ in self.train_list + self.test_list
            if not exists(join_path(root, self.base_folder, name))
        ]

    def load_data_list(self) -> list:
        """Load images and labels with mmpretrain's loader.

        Raises:
            FileNotFoundError: If a file is missing and ``download=False``.
            ValueError: If ``verify_md5`` and a file's md5 sum is not the
                official one and ``download=False``.
        """
        if not self.download:
            folder = join_path(self.data_prefix['root'], self.base_folder)
            names = [n for n, _ in self.train_list + self.test_list]
            missing = self._missing_files()
            if missing:
                raise FileNotFoundError(
                    f'{type(self).__name__} expected the python-format files '
                    f'{names} under {folder}, but {missing} do not exist. '
                    f'Put the extracted archive there (data_root is the '
                    f'folder holding {self.base_folder}/) or pass '
                    'download=True.')
            if not self._check_integrity():
                raise ValueError(
                    f'{type(self).__name__} expected the official files '
                    f'{names} under {folder} (md5 sums of the official '
                    'archive), but at least one has another md5 sum. For '
                    'files in the same format that are not the official '
                    'ones pass verify_md5=False.')
        data_list = super().load_data_list()
        labels = np.array([info['gt_label'] for info in data_list])
        keep = held_out_indices(labels, self.subset, self.val_fraction,
                                self.seed)
        return [data_list[i] for i in keep]


@DATASETS.register_module()
class LocalCIFAR10(_LocalCIFARMixin, CIFAR10):
    """CIFAR-10 from the local ``cifar-10-batches-py`` folder.

    Args:
        data_root (str): Folder that holds ``cifar-10-batches-py/``.
        split (str): ``'train'`` (the five data batches) or ``'test'``.
            Defaults to ``'train'``.
        verify_md5 (bool): Check the official md5 sums (mmpretrain's
            behaviour). Set False for files in the same format that are not
            the official ones. Defaults to True.
        subset (str): ``'all'``, or, with ``split='train'`` and
            ``0 < val_fraction < 1``, ``'train'`` (the training images not
            held out) or ``'val'`` (the held-out ones). Defaults to ``'all'``.
        val_fraction (float): Fraction of every class of the training split
            held out as the ``'val'`` subset. Defaults to 0.
        seed (int): Seed of the fixed permutation that picks the held-out
            images. Defaults to 0.
        download (bool): Download the official archive when files are
            missing or fail the md5 check. Defaults to False.
        metainfo (dict, optional): Meta information, e.g. ``classes``.
            Defaults to None (mmpretrain's CIFAR-10 class names).
        **kwargs: Other arguments of mmpretrain's ``CIFAR10``.
    """


@DATASETS.register_module()
class LocalCIFAR100(_LocalCIFARMixin, CIFAR100):
    """CIFAR-100 from the local ``cifar-100-python`` folder (fine labels).

    Args:
        data_root (str): Folder that holds ``cifar-100-python/``.
        split (str): ``'train'`` (50,000 images) or ``'test'`` (10,000).
            Defaults to ``'train'``.
        verify_md5 (bool): Check the official md5 sums (mmpretrain's
            behaviour). Set False for files in the same format that are not
            the official ones. Defaults to True.
        subset (str): See :class:`LocalCIFAR10`. Defaults to ``'all'``.
        val_fraction (float): See :class:`LocalCIFAR10`. Defaults to 0.
        seed (int): See :class:`LocalCIFAR10`. Defaults to 0.
        download (bool): Download the official archive when files are
            missing or fail the md5 check. Defaults to False.
        metainfo (dict, optional): Meta information, e.g. ``classes``.
            Defaults to None (mmpretrain's CIFAR-100 fine class names, the
            same order as ``fine_label_names`` in the ``meta`` file).
        **kwargs: Other arguments of mmpretrain's ``CIFAR100``.
    """
