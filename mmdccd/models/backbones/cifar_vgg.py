"""VGG with BN of the CRD benchmark (RepDistiller ``vgg8/11/13/16/19``,
which build ``vgg*_bn``).

Facts (RepDistiller's CIFAR models, github.com/HobbitLong/RepDistiller): five blocks of
``Conv2d(3x3, pad 1, bias=True) + BN + ReLU``; the last ReLU of every block
is applied outside the block (so a block ends on its BN). 2x2 max-pooling
after blocks 0, 1 and 2 (32 -> 16 -> 8 -> 4); after block 3 only for a 64
pixel input, so on CIFAR blocks 3 and 4 both run at 4 x 4. No FC stack: the
head is a single ``Linear(512, C)`` on the globally pooled block-4 output.
"""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS

from .benchmark_init import BENCHMARK_INIT
from .train_mode import TrainReturnsSelfMixin

#: Block widths per depth (the benchmark's cfg S, A, B, D, E).
VGG_ARCHS: Dict[int, List[List[int]]] = {
    8: [[64], [128], [256], [512], [512]],
    11: [[64], [128], [256, 256], [512, 512], [512, 512]],
    13: [[64, 64], [128, 128], [256, 256], [512, 512], [512, 512]],
    16: [[64, 64], [128, 128], [256] * 3, [512] * 3, [512] * 3],
    19: [[64, 64], [128, 128], [256] * 4, [512] * 4, [512] * 4],
}


def make_vgg_block(in_channels: int, widths: Sequence[int]) -> nn.Sequential:
    """One VGG block: ``[conv, BN, ReLU] * len(widths)`` without the final
    ReLU, so the module indices are conv ``3i``, BN ``3i + 1``."""
    layers: List[nn.Module] = []
    for width in widths:
        layers += [
            nn.Conv2d(in_channels, width, 3, padding=1, bias=True),
            nn.BatchNorm2d(width),
            nn.ReLU(inplace=True)
        ]
        in_channels = width
    return nn.Sequential(*layers[:-1])


@MODELS.register_module()
class CIFARVGG(TrainReturnsSelfMixin, BaseBackbone):
    """VGG-BN for CIFAR of the CRD benchmark.

    Args:
        depth (int): One of 8, 11, 13, 16, 19.
        out_indices (Sequence[int]): Blocks (0..4) whose ReLU'd outputs are
            returned, taken before the block's max-pool. Defaults to (4, ),
            the 512 x 4 x 4 map for a 32 x 32 input.
        init_cfg (list[dict], optional): Defaults to the benchmark's init.
    """

    def __init__(self,
                 depth: int,
                 out_indices: Sequence[int] = (4, ),
                 init_cfg: Optional[List[dict]] = BENCHMARK_INIT) -> None:
        super().__init__(init_cfg=init_cfg)
        if depth not in VGG_ARCHS:
            raise ValueError(f'CIFARVGG: expected depth in '
                             f'{sorted(VGG_ARCHS)}, got {depth}.')
        if any(i not in range(5) for i in out_indices):
            raise ValueError('CIFARVGG: out_indices must be in 0..4, got '
                             f'{tuple(out_indices)}.')
        self.depth = depth
        self.out_indices = tuple(out_indices)
        in_channels = 3
        for i, widths in enumerate(VGG_ARCHS[depth]):
            self.add_module(f'block{i}', make_vgg_block(in_channels, widths))
            in_channels = widths[-1]
        self.stage_channels = [w[-1] for w in VGG_ARCHS[depth]]
        self.feat_dim = in_channels

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Args:
            x (torch.Tensor): Images, (N, 3, H, H), H = 32 (or 64).

        Returns:
            tuple[torch.Tensor]: ReLU'd block outputs of ``out_indices``;
            block 4 is (N, 512, 4, 4) for H = 32.
        """
        pool_after = {0, 1, 2, 3} if x.shape[2] == 64 else {0, 1, 2}
        outs = []
        for i in range(5):
            x = F.relu(getattr(self, f'block{i}')(x))
            if i in self.out_indices:
                outs.append(x)
            if i in pool_after:
                x = F.max_pool2d(x, kernel_size=2, stride=2)
        return tuple(outs)
