"""Adaptive pooling to a fixed grid, then flattening: the input of a linear
probe on an intermediate feature map (paper Table IV: a linear classifier on
frozen features from each of the four residual stages)."""
from typing import Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmpretrain.registry import MODELS


@MODELS.register_module()
class AdaptivePoolFlatten(BaseModule):
    """Pool every feature map to ``output_size`` and flatten it.

    A map of shape ``(N, C, H, W)`` becomes ``(N, C * h * w)`` with
    ``(h, w) = output_size``: ``torch.nn.functional.adaptive_avg_pool2d``
    (or ``adaptive_max_pool2d``) cuts the map into ``h x w`` cells, cell
    ``(i, j)`` covering rows ``floor(i * H / h) .. ceil((i + 1) * H / h) - 1``
    and likewise for columns, and takes each cell's mean (max). Flattening is
    channel-major (``C``, then ``h``, then ``w``), as ``Tensor.flatten(1)``.

    Choosing ``output_size`` per stage keeps probe widths comparable across
    stages (configs/cross_model/README.md: 8, 6, 4, 3 for the four ResNet-18
    stages of 64, 128, 256, 512 channels give 4096, 4608, 4096, 4608
    features).

    Args:
        output_size (int | Sequence[int]): Grid ``(h, w)``; an int means
            ``h = w``.
        pool_type (str): ``'avg'`` or ``'max'``. Defaults to ``'avg'``.
        init_cfg (dict, optional): Initialisation config. Defaults to None
            (the neck has no parameters).
    """

    POOLS = {'avg': F.adaptive_avg_pool2d, 'max': F.adaptive_max_pool2d}

    def __init__(self,
                 output_size: Union[int, Sequence[int]],
                 pool_type: str = 'avg',
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        if isinstance(output_size, int):
            output_size = (output_size, output_size)
        output_size = tuple(int(s) for s in output_size)
        if len(output_size) != 2 or min(output_size) < 1:
            raise ValueError(
                'AdaptivePoolFlatten expected output_size to be an int or a '
                f'pair (h, w) of ints >= 1, but got {output_size}.')
        if pool_type not in self.POOLS:
            raise ValueError(
                f"AdaptivePoolFlatten pool_type must be 'avg' or 'max', but "
                f'got {pool_type!r}.')
        self.output_size = output_size
        self.pool_type = pool_type

    def _pool(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 4:
            raise ValueError(
                'AdaptivePoolFlatten expected feature maps (N, C, H, W), but '
                f'got shape {tuple(x.shape)}; put it after a backbone that '
                'returns stage outputs (not after a global pooling neck).')
        return self.POOLS[self.pool_type](x, self.output_size).flatten(1)

    def forward(
        self, inputs: Union[torch.Tensor, Sequence[torch.Tensor]]
    ) -> Union[torch.Tensor, Tuple[torch.Tensor, ...]]:
        """Pool and flatten.

        Args:
            inputs (torch.Tensor | Sequence[torch.Tensor]): One map
                ``(N, C, H, W)`` or a tuple of maps (a backbone's outputs).

        Returns:
            torch.Tensor | tuple[torch.Tensor]: ``(N, C * h * w)`` for each
            input, in the same container kind as ``inputs`` (a tensor for a
            tensor, a tuple for a sequence).
        """
        if isinstance(inputs, torch.Tensor):
            return self._pool(inputs)
        return tuple(self._pool(x) for x in inputs)

    def extra_repr(self) -> str:
        return f'output_size={self.output_size}, pool_type={self.pool_type!r}'
