"""STL-10 in its binary format, with the 100k unlabelled images memory-mapped.

Layout (``data_root`` holds ``stl10_binary/``, or is that folder itself)::

    stl10_binary/train_X.bin       5,000 images     train_y.bin  5,000 labels
    stl10_binary/test_X.bin        8,000 images     test_y.bin   8,000 labels
    stl10_binary/unlabeled_X.bin 100,000 images (2.7 GB)
    stl10_binary/class_names.txt   10 names, one a line (optional here)

Image files: uint8, 27,648 = 3 x 96 x 96 bytes an image, no header. Within
an image the red, green and blue planes follow each other and each plane is
stored **column-major** (byte ``c * 9216 + col * 96 + row``), so
``reshape(-1, 3, 96, 96).transpose(0, 3, 2, 1)`` gives ``N x H x W x C``.
Label files: one uint8 a label, ``1 .. 10``; here ``gt_label = label - 1``
(``0 .. 9``) and ``-1`` for the unlabelled split.

Lazy loading: data infos hold only ``stl10_index`` and ``gt_label``; the
image is cut from a read-only ``np.memmap`` of the split's ``*_X.bin`` in
:meth:`STL10.get_data_info`, i.e. when the sample is fetched. Each process
opens its own memmap on first use and the memmap is never pickled (see
``__getstate__``), so dataloader workers neither copy nor hold the 2.7 GB
file; the page cache shares it. Images come out **RGB** ``96 x 96 x 3``
uint8, like mmpretrain's CIFAR datasets (use ``to_rgb=False`` in the data
preprocessor, ``channel_order='rgb'`` in :class:`RGBToLab`).
"""
import os.path as osp
from typing import List, Optional

import numpy as np
from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS

STL10_CATEGORIES = ('airplane', 'bird', 'car', 'cat', 'deer', 'dog', 'horse',
                    'monkey', 'ship', 'truck')


@DATASETS.register_module()
class STL10(BaseDataset):
    """STL-10 (96 x 96 images, 10 classes; 5k train, 8k test, 100k
    unlabelled).

    Args:
        data_root (str): Folder holding ``stl10_binary/`` (or that folder).
        split (str): ``'train'``, ``'test'`` or ``'unlabeled'``. Defaults to
            ``'train'``.
        metainfo (dict, optional): Meta information; ``classes`` defaults to
            ``class_names.txt`` if present, else the official ten names.
            Defaults to None.
        **kwargs: Other arguments of mmpretrain's ``BaseDataset``
            (``pipeline``, ``test_mode``, ``indices`` ...).
    """

    SPLITS = ('train', 'test', 'unlabeled')
    BASE_FOLDER = 'stl10_binary'
    IMG_SHAPE = (3, 96, 96)  # as stored: channel, column, row
    IMG_BYTES = 3 * 96 * 96  # 27,648

    def __init__(self,
                 data_root: str = '',
                 split: str = 'train',
                 metainfo: Optional[dict] = None,
                 **kwargs) -> None:
        if split not in self.SPLITS:
            raise ValueError(f'STL10 split must be one of {self.SPLITS}, '
                             f'but got {split!r}.')
        self.split = split
        self.folder = self._find_folder(data_root)
        self._memmap = None
        metainfo = dict(metainfo or {})
        metainfo.setdefault('classes', self._read_class_names(self.folder))
        super().__init__(
            ann_file='', metainfo=metainfo, data_root=data_root, **kwargs)

    @classmethod
    def _find_folder(cls, data_root: str) -> str:
        for folder in (osp.join(data_root, cls.BASE_FOLDER), data_root):
            if osp.isfile(osp.join(folder, 'train_X.bin')) or osp.isfile(
                    osp.join(folder, 'unlabeled_X.bin')):
                return folder
        raise FileNotFoundError(
            f'STL10 expected {osp.join(data_root, cls.BASE_FOLDER)}/ with '
            'train_X.bin, test_X.bin, unlabeled_X.bin ..., but found neither '
            'it nor those files in data_root. Set data_root to the folder '
            'that holds stl10_binary/.')

    @staticmethod
    def _read_class_names(folder: str) -> List[str]:
        path = osp.join(folder, 'class_names.txt')
        if not osp.isfile(path):
            return list(STL10_CATEGORIES)
        with open(path) as f:
            return [line.strip() for line in f if line.strip()]

    @property
    def image_file(self) -> str:
        """Path of the split's ``*_X.bin`` file."""
        return osp.join(self.folder, f'{self.split}_X.bin')

    def _num_images(self) -> int:
        path = self.image_file
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'STL10(split={self.split!r}) expected {path}, but it does '
                'not exist.')
        size = osp.getsize(path)
        if size % self.IMG_BYTES:
            raise ValueError(
                f'{path} holds {size} bytes; expected a multiple of '
                f'{self.IMG_BYTES} (3 x 96 x 96 uint8 an image). Is it a '
                'complete STL-10 binary file?')
        return size // self.IMG_BYTES

    def load_data_list(self) -> List[dict]:
        """One small info an image (the image itself is read lazily).

        Returns:
            list[dict]: ``{'stl10_index': int, 'gt_label': int}``, file
            order; ``gt_label`` is ``0 .. 9``, or ``-1`` when unlabelled.
        """
        num = self._num_images()
        if self.split == 'unlabeled':
            labels = np.full(num, -1, dtype=np.int64)
        else:
            path = osp.join(self.folder, f'{self.split}_y.bin')
            if not osp.isfile(path):
                raise FileNotFoundError(
                    f'STL10(split={self.split!r}) expected the label file '
                    f'{path}, but it does not exist.')
            labels = np.fromfile(path, dtype=np.uint8).astype(np.int64) - 1
            if len(labels) != num:
                raise ValueError(
                    f'{path} holds {len(labels)} labels but '
                    f'{self.image_file} holds {num} images; expected one '
                    'label an image.')
            num_classes = len(self.CLASSES)
            if labels.min() < 0 or labels.max() >= num_classes:
                raise ValueError(
                    f'{path}: expected labels 1 .. {num_classes}, found '
                    f'{labels.min() + 1} .. {labels.max() + 1}.')
        return [
            dict(stl10_index=i, gt_label=int(label))
            for i, label in enumerate(labels)
        ]

    def _images(self) -> np.memmap:
        """This process's read-only memmap, ``N x 3 x 96 x 96`` as stored."""
        if self._memmap is None:
            num = self._num_images()
            self._memmap = np.memmap(
                self.image_file,
                dtype=np.uint8,
                mode='r',
                shape=(num, ) + self.IMG_SHAPE)
        return self._memmap

    def read_image(self, index: int) -> np.ndarray:
        """Image ``index`` of the split's file.

        Args:
            index (int): Position in the ``*_X.bin`` file.

        Returns:
            np.ndarray: RGB ``96 x 96 x 3`` uint8 (row, column, channel).
        """
        # stored (channel, column, row) -> (row, column, channel)
        return np.ascontiguousarray(self._images()[index].transpose(2, 1, 0))

    def get_data_info(self, idx: int) -> dict:
        """The ``idx``-th data info with its image (``img``) read now.

        Args:
            idx (int): Index in this dataset.

        Returns:
            dict: ``stl10_index``, ``gt_label``, ``sample_idx``, ``img``
            (``96 x 96 x 3`` uint8 RGB), ``img_shape``, ``ori_shape``.
        """
        info = super().get_data_info(idx)
        img = self.read_image(info['stl10_index'])
        info.update(img=img, img_shape=img.shape[:2], ori_shape=img.shape[:2])
        return info

    def __getstate__(self) -> dict:
        # Never pickle (or deepcopy) the memmap: each process maps the file
        # itself, so workers do not receive a copy of the images.
        state = self.__dict__.copy()
        state['_memmap'] = None
        return state

    def extra_repr(self) -> List[str]:
        """Extra lines for ``repr``."""
        return [f'Split: \t{self.split}', f'File: \t{self.image_file}']
