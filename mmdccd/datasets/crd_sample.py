"""Contrastive sample indices for CRD (Tian et al., ICLR 2020) on mmpretrain.

mmrazor 1.0.0's ``CRDLoss`` reads, from every data sample of the batch,
``sample_idx`` (the image's row in the 50,000 x 128 memory banks) and
``contrast_sample_idxs`` (that index followed by ``neg_num`` negatives), both
as tensors. mmrazor's ``CRDDataset`` draws the label-aware negatives, but its
packing transform (``PackCRDClsInputs``) is written for mmcls 1.0.0rc, which
mmpretrain replaced, and it stores the indices as meta information, which the
data preprocessor does not move to the GPU. :class:`CRDSampleDataset` keeps
mmrazor's sampling and hands the indices over as tensor *data* fields of
mmpretrain's ``DataSample``, so ``cast_data`` moves them with the batch.
"""
from typing import Any, Optional, Union

import numpy as np
import torch
from mmengine.dataset import BaseDataset
from mmpretrain.registry import DATASETS
from mmrazor.datasets.crd_dataset_wrapper import CRDDataset


@DATASETS.register_module()
class CRDSampleDataset(CRDDataset):
    """Training-set wrapper giving every sample CRD's contrastive indices.

    Sampling as RepDistiller's ``CIFAR100InstanceSample`` in mode
    ``'exact'`` (through mmrazor's ``CRDDataset``): for image ``i`` of class
    ``y``, ``contrast_sample_idxs = [i] + neg_num`` indices drawn without
    replacement from the images of the *other* classes (with replacement
    only when there are fewer than ``neg_num`` of them, e.g. in tiny test
    sets). A new draw is made every time the image is loaded.

    Mode ``'instance'`` needs no labels (unlabelled data, e.g. STL-10's
    ``unlabeled`` split in the cross-model transfer): every image is its own
    class, and the ``neg_num`` negatives of image ``i`` are drawn uniformly,
    with replacement, from the other ``N - 1`` images, as CRD's memory bank
    draws them when it is given no indices.

    After the wrapped dataset's pipeline (which must end in ``PackInputs``),
    the ``DataSample`` holds, as data fields,

    - ``sample_idx``: ``torch.long`` scalar, the index ``i``;
    - ``contrast_sample_idxs``: ``torch.long`` of shape ``(neg_num + 1,)``.

    Args:
        dataset (dict | BaseDataset): The training set (built from
            mmpretrain's DATASETS when a dict).
        neg_num (int): Negatives per sample; must equal ``neg_num`` of
            ``CRDLoss``. Defaults to 16384.
        num_classes (int, optional): Number of classes. Defaults to the
            length of the dataset's ``classes``.
        sample_mode (str): ``'exact'`` (the positive is the image itself),
            ``'random'`` (a random image of the same class) or
            ``'instance'`` (no labels; the positive is the image itself).
            Defaults to ``'exact'``.
        percent (float): Keep this fraction of each class's negatives
            (RepDistiller's ``percent``). Defaults to 1.0.
        lazy_init (bool): Defer loading the annotations. Defaults to False.
    """

    def __init__(self,
                 dataset: Union[dict, BaseDataset],
                 neg_num: int = 16384,
                 num_classes: Optional[int] = None,
                 sample_mode: str = 'exact',
                 percent: float = 1.0,
                 lazy_init: bool = False) -> None:
        if isinstance(dataset, dict):
            dataset = DATASETS.build(dataset)
        if num_classes is None:
            num_classes = len(dataset.metainfo.get('classes', ())) or None
        super().__init__(
            dataset,
            neg_num=neg_num,
            percent=percent,
            lazy_init=lazy_init,
            num_classes=num_classes,
            sample_mode=sample_mode)

    def _parse_fullset_contrast_info(self) -> None:
        """Index the images of each class (positives) and of all other
        classes (negatives). Kept as lists of arrays: mmrazor's
        ``np.asarray`` of them fails for classes of unequal size. Mode
        ``'instance'`` reads no labels."""
        if self.sample_mode not in ('exact', 'random', 'instance'):
            raise ValueError("sample_mode must be 'exact', 'random' or "
                             f"'instance', got {self.sample_mode!r}.")
        if self.dataset.test_mode:
            raise ValueError('CRDSampleDataset wraps the training set only; '
                             'the wrapped dataset has test_mode=True.')
        if self.sample_mode == 'instance':
            self.num_samples = len(self.dataset)
            if self.num_samples < 2:
                raise ValueError(
                    "sample_mode='instance' draws negatives from the other "
                    f'images, but the dataset has {self.num_samples}.')
            return
        self.gt_labels = np.asarray(self.dataset.get_gt_labels())
        self.num_samples = len(self.gt_labels)
        num_classes = self.num_classes or int(self.gt_labels.max()) + 1
        if len(self.gt_labels) and not (
                0 <= self.gt_labels.min() <= self.gt_labels.max() <
                num_classes):
            raise ValueError(
                f"sample_mode={self.sample_mode!r} draws negatives from the "
                f'other classes, so it needs labels in [0, {num_classes}), '
                f'found labels from {self.gt_labels.min()} to '
                f'{self.gt_labels.max()} (-1 marks unlabelled images). For '
                "unlabelled data use sample_mode='instance'.")
        indices = np.arange(self.num_samples)
        self.cls_positive = [
            indices[self.gt_labels == c] for c in range(num_classes)
        ]
        self.cls_negative = [
            indices[self.gt_labels != c] for c in range(num_classes)
        ]
        for label in np.unique(self.gt_labels):
            if len(self.cls_negative[label]) == 0:
                raise ValueError(
                    f'CRD needs negatives from other classes, but every one '
                    f'of the {self.num_samples} images has label {label}.')
        if 0 < self.percent < 1:
            self.cls_negative = [
                np.random.permutation(neg)[:int(len(neg) * self.percent)]
                for neg in self.cls_negative
            ]

    def _get_contrast_info(self, data: dict, idx: int) -> dict:
        """Add ``contrast_sample_idxs`` (``[idx] + neg_num`` negatives) to
        ``data``; mode ``'instance'`` draws the negatives uniformly from the
        other images, the label-aware modes as mmrazor's ``CRDDataset``."""
        if self.sample_mode != 'instance':
            return super()._get_contrast_info(data, idx)
        # uniform over the N - 1 other images: draw from [0, N - 1) and skip
        # idx by shifting the draws at or above it up by one
        negatives = np.random.randint(0, self.num_samples - 1, self.neg_num)
        negatives += negatives >= idx
        data['contrast_sample_idxs'] = np.concatenate(([idx], negatives))
        return data

    def prepare_data(self, idx: int) -> Any:
        """Load sample ``idx`` through the wrapped pipeline and attach the
        contrastive indices as tensor data fields.

        Args:
            idx (int): Index in the wrapped dataset.

        Returns:
            dict: ``inputs`` and ``data_samples`` (a ``DataSample`` with
            ``sample_idx`` and ``contrast_sample_idxs``), or None when the
            pipeline drops the sample.
        """
        data_info = self.get_data_info(idx)
        contrast = data_info.pop('contrast_sample_idxs')
        data = self.dataset.pipeline(data_info)
        if data is None:
            return None
        sample = data['data_samples']
        if 'sample_idx' in sample.metainfo_keys():
            del sample.sample_idx  # an int meta field; re-added as a tensor
        sample.set_data(
            dict(
                sample_idx=torch.tensor(idx, dtype=torch.long),
                contrast_sample_idxs=torch.as_tensor(
                    np.asarray(contrast), dtype=torch.long)))
        return data
