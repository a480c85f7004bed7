"""ShuffleNetV2 (1x) of the CRD benchmark (RepDistiller ``ShuffleV2`` =
``ShuffleNetV2(net_size=1)``, kuangliu/pytorch-cifar style).

Facts (RepDistiller's CIFAR models, github.com/HobbitLong/RepDistiller): Ma et al.,
"ShuffleNet V2", ECCV 2018, for CIFAR: a 1x1 stem conv (3 -> 24) + BN +
ReLU; stages of widths 116 / 232 / 464, each a stride-2 down unit followed
by 3 / 7 / 3 basic units; then ``conv2`` 1x1 (464 -> 1024) + ``bn2`` + ReLU.

* Down unit (C_in -> C_out, mid = C_out / 2): left branch
  dw3x3_s2-BN, 1x1-BN-ReLU (C_in -> mid); right branch 1x1-BN-ReLU
  (C_in -> mid), dw3x3_s2-BN, 1x1-BN-ReLU; ``shuffle_2(cat(left, right))``.
* Basic unit: split the channels in halves (x1, x2);
  ``shuffle_2(cat(x1, ReLU(BN(1x1(BN(dw3x3(ReLU(BN(1x1(x2))))))))))``.

The PyTorch default initialisation is kept.
"""
from typing import Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.models.utils import channel_shuffle
from mmpretrain.registry import MODELS

from .train_mode import TrainReturnsSelfMixin


def _conv(in_channels: int,
          out_channels: int,
          kernel_size: int,
          stride: int = 1,
          depthwise: bool = False) -> nn.Conv2d:
    return nn.Conv2d(
        in_channels,
        out_channels,
        kernel_size,
        stride,
        padding=kernel_size // 2,
        groups=in_channels if depthwise else 1,
        bias=False)


class ShuffleV2DownBlock(nn.Module):
    """Stride-2 ShuffleNetV2 unit (module docstring).

    Args:
        in_channels (int): C_in.
        out_channels (int): C_out (even).
    """

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        mid = out_channels // 2
        # left branch
        self.conv1 = _conv(in_channels, in_channels, 3, 2, depthwise=True)
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv2 = _conv(in_channels, mid, 1)
        self.bn2 = nn.BatchNorm2d(mid)
        # right branch
        self.conv3 = _conv(in_channels, mid, 1)
        self.bn3 = nn.BatchNorm2d(mid)
        self.conv4 = _conv(mid, mid, 3, 2, depthwise=True)
        self.bn4 = nn.BatchNorm2d(mid)
        self.conv5 = _conv(mid, mid, 1)
        self.bn5 = nn.BatchNorm2d(mid)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C_in, H, W) -> (N, C_out, H / 2, W / 2)."""
        left = F.relu(self.bn2(self.conv2(self.bn1(self.conv1(x)))))
        right = F.relu(self.bn3(self.conv3(x)))
        right = F.relu(self.bn5(self.conv5(self.bn4(self.conv4(right)))))
        return channel_shuffle(torch.cat([left, right], dim=1), 2)


class ShuffleV2BasicBlock(nn.Module):
    """Stride-1 ShuffleNetV2 unit with a half/half channel split.

    Args:
        channels (int): Input = output channels (even).
    """

    def __init__(self, channels: int) -> None:
        super().__init__()
        half = channels // 2
        self.conv1 = _conv(half, half, 1)
        self.bn1 = nn.BatchNorm2d(half)
        self.conv2 = _conv(half, half, 3, 1, depthwise=True)
        self.bn2 = nn.BatchNorm2d(half)
        self.conv3 = _conv(half, half, 1)
        self.bn3 = nn.BatchNorm2d(half)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C, H, W) -> (N, C, H, W)."""
        x1, x2 = x.chunk(2, dim=1)
        out = F.relu(self.bn1(self.conv1(x2)))
        out = F.relu(self.bn3(self.conv3(self.bn2(self.conv2(out)))))
        return channel_shuffle(torch.cat([x1, out], dim=1), 2)


@MODELS.register_module()
class CIFARShuffleNetV2(TrainReturnsSelfMixin, BaseBackbone):
    """ShuffleNetV2 of the CRD benchmark.

    Layout: ``conv1`` + ``bn1`` (stem) -> ``layer1..3`` (down unit + basic
    units) -> ``conv2`` + ``bn2`` + ReLU; spatial 32 -> 16 -> 8 -> 4.

    Args:
        out_channels (Sequence[int]): Widths of the 3 stages and of
            ``conv2``. Defaults to (116, 232, 464, 1024).
        num_blocks (Sequence[int]): Basic units per stage (after the down
            unit). Defaults to (3, 7, 3).
        out_indices (Sequence[int]): 0..2 are the stages, 3 is ``conv2``.
            Defaults to (3, ), the 1024 x 4 x 4 map for a 32 x 32 input.
        init_cfg (dict, optional): Defaults to None (PyTorch defaults, as
            the benchmark).
    """

    def __init__(self,
                 out_channels: Sequence[int] = (116, 232, 464, 1024),
                 num_blocks: Sequence[int] = (3, 7, 3),
                 out_indices: Sequence[int] = (3, ),
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        num_stages = len(num_blocks)
        if len(out_channels) != num_stages + 1:
            raise ValueError(
                'CIFARShuffleNetV2: expected one width per stage plus the '
                f'conv2 width ({num_stages + 1} values), got '
                f'{tuple(out_channels)}.')
        if any(i not in range(num_stages + 1) for i in out_indices):
            raise ValueError('CIFARShuffleNetV2: out_indices must be in '
                             f'0..{num_stages}, got {tuple(out_indices)}.')
        self.out_indices = tuple(out_indices)
        self.num_stages = num_stages
        stem = 24
        self.conv1 = _conv(3, stem, 1)
        self.bn1 = nn.BatchNorm2d(stem)
        in_channels = stem
        for i, (width, n) in enumerate(zip(out_channels, num_blocks)):
            units = [ShuffleV2DownBlock(in_channels, width)]
            units += [ShuffleV2BasicBlock(width) for _ in range(n)]
            self.add_module(f'layer{i + 1}', nn.Sequential(*units))
            in_channels = width
        self.conv2 = _conv(in_channels, out_channels[-1], 1)
        self.bn2 = nn.BatchNorm2d(out_channels[-1])
        self.stage_channels = [stem, *out_channels[:-1]]
        self.feat_dim = out_channels[-1]

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Args:
            x (torch.Tensor): Images, (N, 3, 32, 32).

        Returns:
            tuple[torch.Tensor]: Maps of ``out_indices``; index 3 is
            (N, 1024, 4, 4) after ``conv2`` + ``bn2`` + ReLU.
        """
        x = F.relu(self.bn1(self.conv1(x)))
        outs = []
        for i in range(self.num_stages):
            x = getattr(self, f'layer{i + 1}')(x)
            if i in self.out_indices:
                outs.append(x)
        if self.num_stages in self.out_indices:
            outs.append(F.relu(self.bn2(self.conv2(x))))
        return tuple(outs)
