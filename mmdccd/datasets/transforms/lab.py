"""RGB to normalised CIE Lab, for the cross-model transfer of DCCD (paper
Table IV: the teacher "L-Net" sees the L channel, the student "ab-Net" the
a and b channels of the same images).

Conversion: the image is taken to float sRGB in ``[0, 1]`` (uint8 / 255),
converted by OpenCV (``cv2.cvtColor(float32, COLOR_RGB2Lab)``: sRGB gamma
linearisation, D65 white, CIE ``f(t)``; L in ``[0, 100]``, a and b within
about ``[-86.2, 98.2]`` and ``[-107.9, 94.5]``), then normalised per channel::

    L' = (L - 50) / 50,  a' = (a - 6.025) / 92.208,  b' = (b + 6.6895) / 101.1675

so each channel spans ``[-1, 1]`` over the sRGB gamut (black/white for L,
green/magenta for a, blue/yellow for b). OpenCV's float Lab overshoots those
extremes by about 5e-5, so the result is clipped to ``[-1, 1]``.

Channel order: mmcv's ``LoadImageFromFile`` gives **BGR** images, the CIFAR
and STL-10 datasets give **RGB**; ``channel_order`` has no default so every
config states which one it feeds.

The output is already normalised: the data preprocessor must not normalise
again (``mean=None, std=None`` or mean 0 / std 1, and ``to_rgb=False``,
which would otherwise reverse L, a, b).
"""
from typing import Sequence

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmpretrain.registry import TRANSFORMS

LAB_MEAN = (50.0, 6.025, -6.6895)
LAB_STD = (50.0, 92.208, 101.1675)


@TRANSFORMS.register_module()
class RGBToLab(BaseTransform):
    """Convert ``results['img']`` to normalised CIE Lab (L, a, b).

    Required keys: ``img`` (``H x W x 3``, uint8 in ``[0, 255]`` or float in
    ``[0, 1]``). Modified keys: ``img`` (``H x W x 3`` float32, channels
    L', a', b' each in ``[-1, 1]``).

    Args:
        channel_order (str): Order of the input channels, ``'bgr'`` (images
            from mmcv's ``LoadImageFromFile``) or ``'rgb'`` (CIFAR, STL-10
            datasets). No default: state it in the config.
        mean (tuple[float]): Subtracted from (L, a, b). Defaults to
            ``(50, 6.025, -6.6895)``.
        std (tuple[float]): Divides (L, a, b) after the mean. Defaults to
            ``(50, 92.208, 101.1675)``.
        clip (bool): Clip the normalised channels to ``[-1, 1]``. Defaults to
            True.
    """

    ORDERS = {'rgb': cv2.COLOR_RGB2Lab, 'bgr': cv2.COLOR_BGR2Lab}

    def __init__(self,
                 channel_order: str,
                 mean: Sequence[float] = LAB_MEAN,
                 std: Sequence[float] = LAB_STD,
                 clip: bool = True) -> None:
        if channel_order not in self.ORDERS:
            raise ValueError(
                f"RGBToLab channel_order must be 'rgb' or 'bgr', but got "
                f"{channel_order!r}: use 'bgr' after LoadImageFromFile and "
                "'rgb' for images from the CIFAR / STL-10 datasets.")
        self.channel_order = channel_order
        self.mean = np.asarray(mean, dtype=np.float32)
        self.std = np.asarray(std, dtype=np.float32)
        self.clip = clip

    def transform(self, results: dict) -> dict:
        """Replace ``results['img']`` with its normalised Lab image.

        Args:
            results (dict): Holds ``img``, ``H x W x 3``.

        Returns:
            dict: ``results`` with ``img`` ``H x W x 3`` float32 (L', a', b').
        """
        img = results['img']
        if img.ndim != 3 or img.shape[2] != 3:
            raise ValueError(
                'RGBToLab expected a colour image H x W x 3, but got shape '
                f'{img.shape}; convert grey images to 3 channels first.')
        if img.dtype == np.uint8:
            img = img.astype(np.float32) / 255.0
        else:
            img = img.astype(np.float32)
            if img.size and (img.min() < 0.0 or img.max() > 1.0 + 1e-6):
                raise ValueError(
                    'RGBToLab expected a float image in [0, 1], but its '
                    f'values span [{img.min()}, {img.max()}]; pass uint8 or '
                    'divide by 255 first.')
        lab = cv2.cvtColor(img, self.ORDERS[self.channel_order])
        lab = (lab - self.mean) / self.std
        if self.clip:
            lab = np.clip(lab, -1.0, 1.0)
        results['img'] = lab.astype(np.float32)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(channel_order={self.channel_order!r}'
                f', mean={tuple(self.mean)}, std={tuple(self.std)}, '
                f'clip={self.clip})')
