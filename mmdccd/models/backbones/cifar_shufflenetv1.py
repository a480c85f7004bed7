"""ShuffleNetV1 (g = 3) of the CRD benchmark (RepDistiller ``ShuffleV1``,
kuangliu/pytorch-cifar style).

Facts (RepDistiller's CIFAR models, github.com/HobbitLong/RepDistiller): Zhang et al.,
"ShuffleNet", CVPR 2018, for CIFAR: a 1x1 stem conv (3 -> 24) + BN + ReLU
without stride or pooling; three stages of 4 / 8 / 4 bottlenecks with
output widths 240 / 480 / 960. Bottleneck (mid = out / 4)::

    y = ReLU(BN3(GConv3(BN2(DWConv_s(shuffle_g(ReLU(BN1(GConv1(x)))))))) (+) x'

with GConv1's groups g = 1 on the 24-channel stem output and 3 otherwise,
GConv3's groups 3. The first block of a stage has stride 2, outputs
``out - in`` channels and *concatenates* ``AvgPool(3, s2, p1)(x)``; the
others add x. The PyTorch default initialisation is kept.
"""
from typing import Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.models.utils import channel_shuffle
from mmpretrain.registry import MODELS

from .train_mode import TrainReturnsSelfMixin


class ShuffleV1Bottleneck(nn.Module):
    """ShuffleNetV1 unit (module docstring).

    Args:
        in_channels (int): Input channels.
        out_channels (int): Channels of the residual branch (the unit's
            output width minus ``in_channels`` when ``stride == 2``).
        stride (int): 1 (add) or 2 (concat with the average-pooled input).
        groups (int): Groups of the 1x1 group convs.
        stem_channels (int): Input width on which the first group conv is
            dense (groups 1). Defaults to 24.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int,
                 groups: int,
                 stem_channels: int = 24) -> None:
        super().__init__()
        mid = out_channels // 4
        self.stride = stride
        self.shuffle_groups = 1 if in_channels == stem_channels else groups
        self.conv1 = nn.Conv2d(
            in_channels, mid, 1, groups=self.shuffle_groups, bias=False)
        self.bn1 = nn.BatchNorm2d(mid)
        self.conv2 = nn.Conv2d(
            mid, mid, 3, stride, padding=1, groups=mid, bias=False)
        self.bn2 = nn.BatchNorm2d(mid)
        self.conv3 = nn.Conv2d(mid, out_channels, 1, groups=groups, bias=False)
        self.bn3 = nn.BatchNorm2d(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C_in, H, W) -> (N, C_out, H / stride, W / stride), ReLU'd."""
        out = F.relu(self.bn1(self.conv1(x)))
        out = channel_shuffle(out, self.shuffle_groups)
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.stride == 2:
            pooled = F.avg_pool2d(x, 3, stride=2, padding=1)
            return F.relu(torch.cat([out, pooled], dim=1))
        return F.relu(out + x)


@MODELS.register_module()
class CIFARShuffleNetV1(TrainReturnsSelfMixin, BaseBackbone):
    """ShuffleNetV1 of the CRD benchmark.

    Layout: ``conv1`` + ``bn1`` (stem) -> ``layer1`` / ``layer2`` /
    ``layer3``; spatial 32 -> 16 -> 8 -> 4.

    Args:
        out_channels (Sequence[int]): Stage widths.
            Defaults to (240, 480, 960).
        num_blocks (Sequence[int]): Units per stage. Defaults to (4, 8, 4).
        groups (int): Group-conv groups. Defaults to 3.
        out_indices (Sequence[int]): Stages (0..2) to return.
            Defaults to (2, ), the 960 x 4 x 4 map for a 32 x 32 input.
        init_cfg (dict, optional): Defaults to None (PyTorch defaults, as
            the benchmark).
    """

    def __init__(self,
                 out_channels: Sequence[int] = (240, 480, 960),
                 num_blocks: Sequence[int] = (4, 8, 4),
                 groups: int = 3,
                 out_indices: Sequence[int] = (2, ),
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        if any(i not in range(len(num_blocks)) for i in out_indices):
            raise ValueError('CIFARShuffleNetV1: out_indices must be in '
                             f'0..{len(num_blocks) - 1}, got '
                             f'{tuple(out_indices)}.')
        self.out_indices = tuple(out_indices)
        stem = 24
        self.conv1 = nn.Conv2d(3, stem, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(stem)
        in_channels = stem
        for i, (width, n) in enumerate(zip(out_channels, num_blocks)):
            units = []
            for j in range(n):
                branch = width - in_channels if j == 0 else width
                units.append(
                    ShuffleV1Bottleneck(in_channels, branch, 2 if j == 0 else
                                        1, groups, stem))
                in_channels = width
            self.add_module(f'layer{i + 1}', nn.Sequential(*units))
        self.stage_channels = [stem, *out_channels]
        self.feat_dim = in_channels

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Args:
            x (torch.Tensor): Images, (N, 3, 32, 32).

        Returns:
            tuple[torch.Tensor]: Stage outputs of ``out_indices``; stage 2
            is (N, 960, 4, 4).
        """
        x = F.relu(self.bn1(self.conv1(x)))
        outs = []
        for i in range(len(self.stage_channels) - 1):
            x = getattr(self, f'layer{i + 1}')(x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)
