"""MobileNetV2 (width 0.5) of the CRD benchmark (RepDistiller
``MobileNetV2`` = ``mobile_half``, from the RCO paper's code).

Facts (RepDistiller's CIFAR models, github.com/HobbitLong/RepDistiller): Sandler et
al., "MobileNetV2", CVPR 2018, with the benchmark's CIFAR choices: a
stride-2 3x3 stem (32 -> 16 pixels), widths ``int(c * 0.5)`` without
rounding to multiples of 8, expansion width ``in_channels * t`` (also for
t = 1, which keeps the 1x1 expansion conv), plain ReLU, and a 1x1 conv to
1280 channels before pooling. Block widths: stem 16 | 8, 12, 16, 32, 48,
80, 160 | 1280.
"""
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS

from .benchmark_init import BENCHMARK_INIT
from .train_mode import TrainReturnsSelfMixin

#: (expand ratio t, channels c at width 1, blocks n, stride s).
INVERTED_RESIDUAL_SETTINGS = [
    (1, 16, 1, 1),
    (6, 24, 2, 1),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
]


def conv_bn_relu(in_channels: int, out_channels: int, kernel_size: int,
                 stride: int) -> nn.Sequential:
    """``Conv(k, stride, pad k // 2, no bias) + BN + ReLU`` as a Sequential
    (module indices 0 / 1 / 2)."""
    return nn.Sequential(
        nn.Conv2d(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            kernel_size // 2,
            bias=False), nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True))


class InvertedResidual(nn.Module):
    """pw 1x1 (C_in -> C_in * t) + BN + ReLU, dw 3x3 (stride) + BN + ReLU,
    pw-linear 1x1 (-> C_out) + BN; ``x +`` the result iff stride 1 and
    C_in == C_out.

    Args:
        in_channels (int): C_in.
        out_channels (int): C_out.
        stride (int): Stride of the depthwise conv.
        expand_ratio (int): t.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int,
                 expand_ratio: int) -> None:
        super().__init__()
        hidden = in_channels * expand_ratio
        self.use_residual = stride == 1 and in_channels == out_channels
        self.conv = nn.Sequential(
            *conv_bn_relu(in_channels, hidden, 1, 1),
            nn.Conv2d(
                hidden, hidden, 3, stride, 1, groups=hidden, bias=False),
            nn.BatchNorm2d(hidden), nn.ReLU(inplace=True),
            nn.Conv2d(hidden, out_channels, 1, bias=False),
            nn.BatchNorm2d(out_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C_in, H, W) -> (N, C_out, H / stride, W / stride)."""
        out = self.conv(x)
        return x + out if self.use_residual else out


@MODELS.register_module()
class CIFARMobileNetV2(TrainReturnsSelfMixin, BaseBackbone):
    """MobileNetV2 of the CRD benchmark (``mobile_half``: t = 6, width 0.5).

    Layout: ``conv1`` (stem) -> ``blocks[0..6]`` (one Sequential of inverted
    residuals per setting row) -> ``conv2`` (1x1 to 1280 + BN + ReLU).

    Args:
        width_mult (float): Width multiplier. Defaults to 0.5.
        expand_ratio (int): t of all but the first setting row.
            Defaults to 6.
        out_indices (Sequence[int]): Outputs to return: 0..6 are the block
            groups (the benchmark's f1..f4 are 1, 2, 4, 6), 7 is ``conv2``.
            Defaults to (7, ), the 1280 x 2 x 2 map for a 32 x 32 input.
        init_cfg (list[dict], optional): Defaults to the benchmark's init
            (conv normal(0, sqrt(2 / (k * k * out))), BN 1 / 0).
    """

    def __init__(self,
                 width_mult: float = 0.5,
                 expand_ratio: int = 6,
                 out_indices: Sequence[int] = (7, ),
                 init_cfg: Optional[List[dict]] = BENCHMARK_INIT) -> None:
        super().__init__(init_cfg=init_cfg)
        if any(i not in range(8) for i in out_indices):
            raise ValueError('CIFARMobileNetV2: out_indices must be in 0..7, '
                             f'got {tuple(out_indices)}.')
        self.out_indices = tuple(out_indices)
        in_channels = int(32 * width_mult)
        self.conv1 = conv_bn_relu(3, in_channels, 3, 2)
        self.blocks = nn.ModuleList()
        self.stage_channels = [in_channels]
        for row, (t, c, n, s) in enumerate(INVERTED_RESIDUAL_SETTINGS):
            t = t if row == 0 else expand_ratio
            out_channels = int(c * width_mult)
            group = []
            for j in range(n):
                group.append(
                    InvertedResidual(in_channels, out_channels,
                                     s if j == 0 else 1, t))
                in_channels = out_channels
            self.blocks.append(nn.Sequential(*group))
            self.stage_channels.append(out_channels)
        self.feat_dim = int(1280 * width_mult) if width_mult > 1.0 else 1280
        self.conv2 = conv_bn_relu(in_channels, self.feat_dim, 1, 1)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Args:
            x (torch.Tensor): Images, (N, 3, 32, 32).

        Returns:
            tuple[torch.Tensor]: Maps of ``out_indices``; index 7 is
            (N, 1280, 2, 2).
        """
        x = self.conv1(x)
        outs = []
        for i, group in enumerate(self.blocks):
            x = group(x)
            if i in self.out_indices:
                outs.append(x)
        if 7 in self.out_indices:
            outs.append(self.conv2(x))
        return tuple(outs)
