"""Two (or more) independently augmented views of one decoded image."""
import copy
from typing import List, Optional, Sequence, Union

from mmcv.transforms import BaseTransform, Compose
from mmpretrain.registry import TRANSFORMS

Pipeline = Sequence[Union[dict, callable]]


@TRANSFORMS.register_module()
class DualView(BaseTransform):
    """Augment one decoded image twice, independently (DCCD's two views).

    Put it after the loading step (``LoadImageFromFile``, which then runs
    once per image) and before ``PackInputs``::

        train_pipeline = [
            dict(type='LoadImageFromFile'),
            dict(type='DualView', transforms=[
                dict(type='RandomResizedCrop', scale=224),
                dict(type='RandomFlip', prob=0.5, direction='horizontal'),
            ]),
            dict(type='PackInputs'),
        ]

    ``results['img']`` becomes a list of ``num_views`` images; ``PackInputs``
    turns it into a list of tensors, which
    :class:`~mmdccd.models.MultiViewClsDataPreprocessor` stacks view-major.
    Other keys are taken from the first view. Unlike mmpretrain's
    ``MultiView`` (which deep-copies the whole result dict per view), only the
    image array is copied, once per view that might modify it in place.

    Args:
        transforms (Sequence[dict | callable]): The augmentation pipeline,
            applied independently to every view.
        second_transforms (Sequence[dict | callable], optional): A different
            pipeline for the second view (e.g. asymmetric augmentation).
            Defaults to None (both views use ``transforms``).
        num_views (int): Number of views. Defaults to 2.
    """

    def __init__(self,
                 transforms: Pipeline,
                 second_transforms: Optional[Pipeline] = None,
                 num_views: int = 2) -> None:
        if num_views < 1:
            raise ValueError(f'num_views must be >= 1, got {num_views}.')
        if second_transforms is not None and num_views != 2:
            raise ValueError('second_transforms needs num_views=2, got '
                             f'num_views={num_views}.')
        first = self._compose(transforms)
        self.pipelines: List[Compose] = [first] * num_views
        if second_transforms is not None:
            self.pipelines[1] = self._compose(second_transforms)
        self.num_views = num_views

    @staticmethod
    def _compose(transforms: Pipeline) -> Compose:
        """Build the pipeline from mmpretrain's transform registry."""
        return Compose([
            TRANSFORMS.build(t) if isinstance(t, dict) else t
            for t in transforms
        ])

    def transform(self, results: dict) -> dict:
        """Apply the pipeline(s) to copies of the decoded image.

        Args:
            results (dict): Result dict holding the decoded ``img``.

        Returns:
            dict: The first view's result dict with ``img`` replaced by the
            list of all views.
        """
        if 'img' not in results:
            raise ValueError(
                'DualView needs a decoded image in results["img"]; put it '
                f'after LoadImageFromFile. Got keys {sorted(results)}.')
        views = []
        for index, pipeline in enumerate(self.pipelines):
            view = copy.copy(results)
            if index < self.num_views - 1:
                view['img'] = results['img'].copy()
            view = pipeline(view)
            if view is None:
                return None
            views.append(view)
        out = views[0]
        out['img'] = [view['img'] for view in views]
        return out

    def __repr__(self) -> str:
        body = ''.join(f'\n  view {i + 1}: {p}'
                       for i, p in enumerate(self.pipelines))
        return f'{self.__class__.__name__}(num_views={self.num_views},{body})'
