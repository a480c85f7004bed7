"""Resize a network's input rows to the size it was trained at."""
from typing import Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .feature_sources import SizeLike, to_size


class InputResize:
    """A forward pre-hook that resizes the input batch of a network.

    DCCD's teacher may expect another input size than the student (a
    224-pixel ViT teacher for a 32-pixel CIFAR student). With this hook on
    the teacher, the same stacked ``2b`` rows, in the same order, are
    resized (bilinear, antialiased when shrinking) inside the teacher's one
    forward; the batch contract of :mod:`mmdccd.utils.views` is unchanged.

    Args:
        size (int | Sequence[int]): Output ``H`` or ``(H, W)``.
        mode (str): ``torch.nn.functional.interpolate`` mode. Defaults to
            ``'bilinear'``.
    """

    def __init__(self, size: SizeLike, mode: str = 'bilinear') -> None:
        self.size = to_size(size)
        self.mode = mode

    def __call__(self, module: nn.Module,
                 args: Tuple) -> Tuple:
        """Resize ``args[0]`` of shape ``(N, C, H, W)`` to ``(N, C,
        *size)``; other arguments pass unchanged."""
        inputs, rest = args[0], args[1:]
        if not isinstance(inputs, torch.Tensor) or inputs.dim() != 4 or \
                tuple(inputs.shape[-2:]) == self.size:
            return None
        shrink = inputs.shape[-2] > self.size[0] or \
            inputs.shape[-1] > self.size[1]
        align = False if self.mode in ('bilinear', 'bicubic') else None
        resized = F.interpolate(
            inputs,
            size=self.size,
            mode=self.mode,
            align_corners=align,
            antialias=shrink and self.mode in ('bilinear', 'bicubic'))
        return (resized, *rest)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(size={self.size}, mode={self.mode!r})'
