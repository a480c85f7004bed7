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
    Keys named in ``view_keys`` (by default ``rotate90_k``, the quarter turns
    of :class:`~mmdccd.datasets.transforms.RandomRotate90`) become lists of
    one value a view; other keys are taken from the first view. To carry such
    a key to the model, name it in ``PackInputs``'s ``algorithm_keys``:
    :class:`~mmdccd.models.MultiViewClsDataPreprocessor` gives the data
    sample of each row its own view's value (DCCD*'s CE on upright rows,
    :class:`~mmdccd.models.heads.UprightLinearClsHead`). Unlike mmpretrain's
    ``MultiView`` (which deep-copies the whole result dict per view), only the
    image array is copied, once per view that might modify it in place.

    Args:
        transforms (Sequence[dict | callable]): The augmentation pipeline,
            applied independently to every view.
        second_transforms (Sequence[dict | callable], optional): A different
            pipeline for the second view (e.g. asymmetric augmentation).
            Defaults to None (both views use ``transforms``).
        num_views (int): Number of views. Defaults to 2.
        view_keys (Sequence[str]): Result keys kept per view, as a list of
            ``num_views`` values (a key no view sets is left out).
            Defaults to ``('rotate90_k', )``.
    """

    def __init__(self,
                 transforms: Pipeline,
                 second_transforms: Optional[Pipeline] = None,
                 num_views: int = 2,
                 view_keys: Sequence[str] = ('rotate90_k', )) -> None:
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
        self.view_keys = tuple(view_keys)

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
            dict: The first view's result dict with ``img`` and each of
            ``view_keys`` replaced by the list of all views' values.
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
        for key in self.view_keys:
            if any(key in view for view in views):
                missing = [i + 1 for i, v in enumerate(views) if key not in v]
                if missing:
                    raise ValueError(
                        f'DualView keeps "{key}" per view, but view(s) '
                        f'{missing} of {self.num_views} did not set it. Give '
                        'every view the transform that sets it, or drop the '
                        'key from view_keys.')
                out[key] = [view[key] for view in views]
        return out

    def __repr__(self) -> str:
        body = ''.join(f'\n  view {i + 1}: {p}'
                       for i, p in enumerate(self.pipelines))
        return (f'{self.__class__.__name__}(num_views={self.num_views}, '
                f'view_keys={self.view_keys},{body})')
