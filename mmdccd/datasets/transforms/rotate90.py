"""Random rotation by a multiple of 90 degrees (DCCD*'s extra augmentation)."""
import numpy as np
from mmcv.transforms import BaseTransform
from mmpretrain.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RandomRotate90(BaseTransform):
    """Rotate the image by 90, 180 or 270 degrees with probability ``prob``.

    The paper's DCCD* rows (Tables I, II, VII) add "the same rotation
    augmentation as SSKD" but do not say how it is wired into DCCD's two
    views. SSKD feeds each image at the four rotations 0/90/180/270 degrees.
    Our choice: this transform goes inside the pipeline of **each** view of
    :class:`~mmdccd.datasets.transforms.DualView` (after crop and flip), so
    every view is rotated independently and keeps its class label; with the
    default ``prob=0.75`` and ``k`` uniform in {1, 2, 3}, each view takes each
    of SSKD's four orientations with probability 1/4. The two views of an
    image then usually differ by a rotation, which CCD's cross-view
    correlation (eq. 5) and the view difference of DKD (eq. 7) see.

    Counter-clockwise rotation by ``k * 90`` degrees (``np.rot90``) of the
    ``(H, W, C)`` image; a non-square image swaps height and width
    (``img_shape`` is updated).

    Args:
        prob (float): Probability of rotating at all. Defaults to 0.75.
    """

    def __init__(self, prob: float = 0.75) -> None:
        if not 0 <= prob <= 1:
            raise ValueError(f'prob must be in [0, 1], got {prob}.')
        self.prob = prob

    def _random_k(self) -> int:
        """Quarter turns: 0 with probability ``1 - prob``, otherwise
        uniform in {1, 2, 3}."""
        if np.random.rand() >= self.prob:
            return 0
        return int(np.random.randint(1, 4))

    def transform(self, results: dict) -> dict:
        """Rotate ``results['img']``.

        Args:
            results (dict): Holds ``img`` of shape ``(H, W)`` or
                ``(H, W, C)``.

        Returns:
            dict: ``img`` rotated by ``rotate90_k * 90`` degrees
            counter-clockwise, ``img_shape`` and ``rotate90_k`` set.
        """
        if 'img' not in results:
            raise ValueError('RandomRotate90 needs results["img"]; got keys '
                             f'{sorted(results)}.')
        k = self._random_k()
        img = results['img']
        if k:
            img = np.ascontiguousarray(np.rot90(img, k, axes=(0, 1)))
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['rotate90_k'] = k
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(prob={self.prob})'
