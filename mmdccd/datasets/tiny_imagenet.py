"""Tiny-ImageNet-200 in the layout of the official ``tiny-imagenet-200.zip``.

Layout (``data_root`` is the ``tiny-imagenet-200`` folder)::

    wnids.txt                     200 WordNet ids, one a line, NOT sorted
    words.txt                     optional: "wnid<TAB>names" for all of WordNet
    train/<wnid>/images/*.JPEG    500 64x64 images a class
    val/images/*.JPEG             10,000 images
    val/val_annotations.txt       "file<TAB>wnid<TAB>x0<TAB>y0<TAB>x1<TAB>y1"

Class index: the wnids of ``wnids.txt`` **sorted** (``gt_label`` = position
in ``sorted(wnids)``). Sorted order is what ``torchvision.datasets.
ImageFolder('train')`` and nearly all public Tiny-ImageNet code use (the
order of ``wnids.txt`` is arbitrary), so labels and classifier heads trained
here agree with theirs; and it does not depend on the order in which a file
system lists folders. ``metainfo['classes']`` holds the wnids in that order.

Each data info holds ``img_path`` and ``gt_label``; decode the image in the
pipeline with ``LoadImageFromFile`` (BGR uint8, mmcv's convention).
"""
from typing import List, Optional

from mmengine.fileio import exists, get_text, join_path, list_dir_or_file
from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS


@DATASETS.register_module()
class TinyImageNet(BaseDataset):
    """Tiny-ImageNet-200 (200 classes, 64 x 64 images).

    Args:
        data_root (str): The ``tiny-imagenet-200`` folder.
        split (str): ``'train'`` (100,000 images) or ``'val'`` (10,000).
            Defaults to ``'train'``.
        metainfo (dict, optional): Meta information; ``classes`` defaults to
            the sorted wnids. Defaults to None.
        **kwargs: Other arguments of mmpretrain's ``BaseDataset``
            (``pipeline``, ``test_mode``, ``indices`` ...).
    """

    SPLITS = ('train', 'val')
    IMG_SUFFIX = '.JPEG'

    def __init__(self,
                 data_root: str = '',
                 split: str = 'train',
                 metainfo: Optional[dict] = None,
                 **kwargs) -> None:
        if split not in self.SPLITS:
            raise ValueError(f'TinyImageNet split must be one of '
                             f'{self.SPLITS}, but got {split!r}.')
        if not data_root:
            raise ValueError('TinyImageNet needs data_root, the '
                             'tiny-imagenet-200 folder holding wnids.txt.')
        self.split = split
        wnids = self._read_wnids(data_root)
        metainfo = dict(metainfo or {})
        metainfo.setdefault('classes', wnids)
        super().__init__(
            ann_file='', metainfo=metainfo, data_root=data_root, **kwargs)

    @staticmethod
    def _read_wnids(data_root: str) -> List[str]:
        """The wnids of ``wnids.txt``, sorted.

        Raises:
            FileNotFoundError: If ``wnids.txt`` is missing.
            ValueError: If it lists a wnid twice.
        """
        path = join_path(data_root, 'wnids.txt')
        if not exists(path):
            raise FileNotFoundError(
                f'TinyImageNet expected {path} (one wnid a line), but it '
                'does not exist. Set data_root to the tiny-imagenet-200 '
                'folder.')
        wnids = [w.strip() for w in get_text(path).splitlines() if w.strip()]
        if len(set(wnids)) != len(wnids):
            raise ValueError(f'{path} lists a wnid more than once; expected '
                             f'unique wnids, found {len(wnids)} lines and '
                             f'{len(set(wnids))} distinct ids.')
        return sorted(wnids)

    def load_data_list(self) -> List[dict]:
        """List the split's images with their labels.

        Returns:
            list[dict]: ``{'img_path': str, 'gt_label': int}`` per image,
            sorted by class then file name (train) or by file name (val).

        Raises:
            ValueError: If an image's wnid is not in ``wnids.txt``.
        """
        label_of = {wnid: i for i, wnid in enumerate(self.CLASSES)}
        root = self.data_root
        data_list = []
        if self.split == 'train':
            for wnid in self.CLASSES:
                folder = join_path(root, 'train', wnid, 'images')
                if not exists(folder):
                    raise FileNotFoundError(
                        f'TinyImageNet expected the folder {folder} for the '
                        f'wnid {wnid} of wnids.txt, but it does not exist.')
                names = sorted(
                    list_dir_or_file(
                        folder, list_dir=False, suffix=self.IMG_SUFFIX))
                data_list += [
                    dict(
                        img_path=join_path(folder, n),
                        gt_label=label_of[wnid]) for n in names
                ]
            return data_list

        ann_path = join_path(root, 'val', 'val_annotations.txt')
        if not exists(ann_path):
            raise FileNotFoundError(
                f'TinyImageNet expected {ann_path} (tab-separated: file, '
                'wnid, box), but it does not exist.')
        rows = [line.split('\t') for line in get_text(ann_path).splitlines()
                if line.strip()]
        for row in sorted(rows):
            name, wnid = row[0].strip(), row[1].strip()
            if wnid not in label_of:
                raise ValueError(
                    f'{ann_path}: image {name} has the wnid {wnid}, which '
                    'wnids.txt does not list; expected one of its '
                    f'{len(label_of)} wnids.')
            data_list.append(
                dict(
                    img_path=join_path(root, 'val', 'images', name),
                    gt_label=label_of[wnid]))
        return data_list

    def extra_repr(self) -> List[str]:
        """Extra lines for ``repr``."""
        return [f'Split: \t{self.split}', f'Root: \t{self.data_root}']
