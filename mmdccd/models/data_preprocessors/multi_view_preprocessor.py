"""Classification data preprocessor for view-major multi-view batches."""
from typing import List, Optional, Sequence

import torch
from mmengine.model.utils import stack_batch
from mmpretrain.models.utils import ClsDataPreprocessor
from mmpretrain.registry import MODELS as MMPRETRAIN_MODELS
from mmpretrain.structures import DataSample
from mmpretrain.structures.utils import cat_batch_labels, tensor_split
from mmrazor.registry import MODELS as MMRAZOR_MODELS

from mmdccd.utils import stack_views
from .batch_views import BatchRandomCropFlip


@MMRAZOR_MODELS.register_module()
@MMPRETRAIN_MODELS.register_module()
class MultiViewClsDataPreprocessor(ClsDataPreprocessor):
    """Normalise ``V`` views per image and stack them view-major.

    mmpretrain's :class:`ClsDataPreprocessor` is single-view only: given two
    views it returns a 5-D tensor, and with ``to_rgb=True`` it flips dim 0 of
    a ``(3, C, H, W)`` view stack, i.e. the batch, not the channels (docs/design.md,
    fix 6). This preprocessor converts colour and normalises each
    view on its channel dimension, then stacks the views view-major into one
    batch of ``V * b`` rows (:mod:`mmdccd.utils.views`). The data samples are
    repeated per view (copies for views after the first, so per-row fields
    such as mixed scores stay separate), so the classification loss covers
    all ``V * b`` rows. A data-sample field named in ``view_keys`` that holds
    one value a view (``DualView``'s ``view_keys`` packed by ``PackInputs``'s
    ``algorithm_keys``) is split so the sample of row ``v * b + i`` holds
    view ``v``'s value: DCCD*'s rotation flag ``rotate90_k`` reaches the head
    this way (:class:`~mmdccd.models.heads.UprightLinearClsHead`).

    Inputs may come from :class:`~mmdccd.datasets.transforms.DualView` +
    ``PackInputs`` through either collate function:

    - ``default_collate``: a list of ``V`` tensors of shape ``(b, C, H, W)``;
    - ``pseudo_collate``: a list of ``V`` sequences of ``b`` tensors
      ``(C, H, W)``.

    A single-view batch (a ``(b, C, H, W)`` tensor, or ``b`` tensors of shape
    ``(C, H, W)``) is handled exactly as by :class:`ClsDataPreprocessor`: this
    is what validation and testing see. In training, a single-view batch is an
    error when ``num_views > 1`` (the pipeline lacks ``DualView``).

    Batch augmentations (mixup, cutmix; paper Table VI) are applied with the
    same mixing weight, partner and box to every view of an image, so the
    views stay two augmentations of one (mixed) image.

    With ``batch_views`` (e.g. ``dict(crop_size=32, padding=4)``) the
    training pipeline packs each image once and the views are drawn here,
    on the model's device (:class:`BatchRandomCropFlip`: random crop with
    padding + horizontal flip, the distribution of the per-sample
    transforms).

    Args:
        num_views (int): Views per image expected in training. Defaults to 2.
        view_keys (Sequence[str]): Data-sample fields holding one value a
            view, split per row. Defaults to ``('rotate90_k', )``.
        batch_views (dict, optional): Arguments of
            :class:`BatchRandomCropFlip`; draws the training views from a
            single-view batch. Defaults to None (views come from
            ``DualView``).
        **kwargs: Arguments of :class:`ClsDataPreprocessor` (``mean``,
            ``std``, ``to_rgb``, ``pad_size_divisor``, ``batch_augments``...).
    """

    def __init__(self,
                 num_views: int = 2,
                 view_keys: Sequence[str] = ('rotate90_k', ),
                 batch_views: Optional[dict] = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if num_views < 1:
            raise ValueError(f'num_views must be >= 1, got {num_views}.')
        self.num_views = num_views
        self.view_keys = tuple(view_keys)
        self.batch_views = None if batch_views is None else \
            BatchRandomCropFlip(**batch_views)

    @staticmethod
    def _split_views(inputs) -> Optional[List]:
        """Return the per-view inputs, or None for a single-view batch."""
        if isinstance(inputs, torch.Tensor):
            return None
        first = inputs[0]
        if isinstance(first, torch.Tensor) and first.dim() == 3:
            return None  # pseudo_collate, one view: b tensors (C, H, W)
        return list(inputs)

    def _convert(self, x: torch.Tensor, channel_dim: int) -> torch.Tensor:
        """BGR -> RGB on the channel dimension, then normalise."""
        x = x.float()
        if self.to_rgb and x.size(channel_dim) == 3:
            x = x.flip(channel_dim)
        if self._enable_normalize:
            x = (x - self.mean) / self.std
        return x

    def _on_device(self, view):
        """One view on the model's device; images of one size are stacked
        first (``pseudo_collate``), so the batch is copied and normalised
        once, not image by image."""
        if not isinstance(view, torch.Tensor) and \
                len({tuple(img.shape) for img in view}) == 1:
            view = torch.stack(list(view))
        return self.cast_data(view)

    def _process_view(self, view) -> torch.Tensor:
        """Colour conversion, normalisation and padding of one view."""
        view = self._on_device(view)
        if isinstance(view, torch.Tensor):
            view = self._convert(view, channel_dim=1)
            if self.pad_size_divisor == 1:
                return view
            images = list(view)
        else:
            images = [self._convert(img, channel_dim=0) for img in view]
        return stack_batch(images, self.pad_size_divisor, self.pad_value)

    def forward(self, data: dict, training: bool = False) -> dict:
        """Preprocess a batch.

        Args:
            data (dict): ``inputs`` and ``data_samples`` from the dataloader.
            training (bool): Whether batch augmentations apply.

        Returns:
            dict: ``inputs`` of shape ``(V * b, C, H, W)`` in view-major order
            (``(b, C, H, W)`` for a single-view batch) and ``data_samples``
            with ``V * b`` entries.
        """
        views = self._split_views(data['inputs'])
        if training and self.batch_views is not None:
            if views is not None:
                raise ValueError(
                    f'batch_views draws the views here, but the batch holds '
                    f'{len(views)} views already; drop DualView from the '
                    'training pipeline (PackInputs only) or unset '
                    'batch_views.')
            views = self.batch_views(
                self._on_device(data['inputs']), self.num_views)
        if views is None:
            if training and self.num_views > 1:
                shape = getattr(data['inputs'], 'shape', None) or tuple(
                    data['inputs'][0].shape)
                raise ValueError(
                    f'Expected {self.num_views} views per image in training, '
                    f'but the batch holds one view (inputs {tuple(shape)}). '
                    "Wrap the train augmentations in dict(type='DualView', "
                    'transforms=[...]) before PackInputs, or set batch_views '
                    'of the preprocessor (crop + flip drawn here).')
            return super().forward(data, training)

        if len(views) != self.num_views:
            raise ValueError(
                f'Expected {self.num_views} views per image, got '
                f'{len(views)}. Set num_views of the preprocessor to match '
                'the DualView transform.')
        views = [self._process_view(v) for v in views]
        data_samples = data.get('data_samples', None)
        if training and self.batch_augments is not None:
            views = self._mix_views(views, data_samples)
        inputs = stack_views(views)
        if data_samples is not None:
            data_samples = self._repeat_per_view(
                self._samples_on_device(list(data_samples)), len(views))
        return {'inputs': inputs, 'data_samples': data_samples}

    def _repeat_per_view(self, data_samples: List[DataSample],
                         num_views: int) -> List[DataSample]:
        """The ``b`` samples repeated view-major to ``V * b``, each of
        ``view_keys`` holding its own view's value."""
        per_view = [
            key for key in self.view_keys
            if any(key in sample for sample in data_samples)
        ]
        # the caller's samples keep their per-view lists: with per-view
        # fields every row is a copy
        first = [s.clone() for s in data_samples] if per_view else \
            data_samples
        rows = first + [
            sample.clone() for _ in range(num_views - 1)
            for sample in data_samples
        ]
        for key in per_view:
            for row, sample in enumerate(rows):
                if key not in sample:
                    continue
                values = sample.get(key)
                if not isinstance(values, (list, tuple)) or \
                        len(values) != num_views:
                    raise ValueError(
                        f'Data-sample field "{key}" should hold one value '
                        f'for each of the {num_views} views, got {values!r}. '
                        f"Keep it per view with DualView's view_keys.")
                sample.set_field(values[row // len(data_samples)], key)
        return rows

    def _samples_on_device(self, samples: List) -> List:
        """The samples with their tensors on the model's device: where
        ``gt_label`` is the only tensor, the batch's labels in one copy (as
        ClsDataPreprocessor moves them), else sample by sample."""
        others = any(key != 'gt_label' and isinstance(value, torch.Tensor)
                     for sample in samples for key, value in sample.items())
        if others or not all('gt_label' in sample for sample in samples):
            return self.cast_data(samples)
        labels, indices = cat_batch_labels([s.gt_label for s in samples])
        for sample, label in zip(samples,
                                 tensor_split(labels.to(self.device),
                                              indices)):
            sample.gt_label = label
        return samples

    def _mix_views(self, views: Sequence[torch.Tensor],
                   data_samples: Optional[List[DataSample]]) -> List:
        """Apply one batch augmentation to all views of every image."""
        if data_samples is None or 'gt_label' not in data_samples[0]:
            raise ValueError('Batch augmentations need gt_label in the data '
                             'samples.')
        gt_labels = torch.cat(
            [sample.gt_label for sample in data_samples]).to(self.device)
        num_classes = self.num_classes or data_samples[0].get('num_classes')
        if num_classes is None:
            raise ValueError('Set num_classes of the data preprocessor to use '
                             'batch augmentations.')
        scores = torch.nn.functional.one_hot(gt_labels, num_classes).float()
        channels = views[0].shape[1]
        mixed, scores = self.batch_augments(torch.cat(views, dim=1), scores)
        for sample, score in zip(data_samples, scores):
            sample.set_gt_score(score)
        return list(mixed.split(channels, dim=1))
