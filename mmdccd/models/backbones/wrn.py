"""Wide ResNet of the CRD benchmark (RepDistiller ``wrn_{depth}_{k}``).

Facts (RepDistiller's CIFAR models, github.com/HobbitLong/RepDistiller): Zagoruyko and
Komodakis, "Wide Residual Networks", BMVC 2016, with pre-activation
BasicBlocks; n = (depth - 4) / 6 blocks per stage, widths
``[16, 16k, 32k, 64k]``, strides 1 / 2 / 2, a final BN + ReLU.

Block (in channels C_in, out channels C_out, stride s)::

    a   = ReLU(BN1(x))
    out = Conv2(ReLU(BN2(Conv1_s(a))))          # both 3x3, no bias
    y   = out + (x          if C_in == C_out    # identity on the *raw* x
                 else Conv1x1_s(a))             # no BN, on the pre-activated x
"""
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS

from .benchmark_init import BENCHMARK_INIT
from .train_mode import TrainReturnsSelfMixin


class PreActBasicBlock(nn.Module):
    """Pre-activation BasicBlock of the WRN (module docstring).

    Args:
        in_channels (int): Input channels C_in.
        out_channels (int): Output channels C_out.
        stride (int): Stride of the first 3x3 conv and of the shortcut.
        drop_rate (float): Dropout probability before the second conv.
            Defaults to 0.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int,
                 drop_rate: float = 0.0) -> None:
        super().__init__()
        if in_channels == out_channels and stride != 1:
            raise ValueError(
                'PreActBasicBlock: a stride-2 block must change the width '
                f'(identity shortcut), got in=out={in_channels}, '
                f'stride={stride}.')
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv1 = nn.Conv2d(
            in_channels, out_channels, 3, stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(
            out_channels, out_channels, 3, 1, padding=1, bias=False)
        self.drop_rate = drop_rate
        self.shortcut = None
        if in_channels != out_channels:
            self.shortcut = nn.Conv2d(
                in_channels, out_channels, 1, stride, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Args:
            x (torch.Tensor): (N, C_in, H, W).

        Returns:
            torch.Tensor: (N, C_out, H / s, W / s), the residual sum (not
            ReLU'd; the next block's or the final BN + ReLU follows).
        """
        a = F.relu(self.bn1(x))
        identity = x if self.shortcut is None else self.shortcut(a)
        out = F.relu(self.bn2(self.conv1(a)))
        if self.drop_rate > 0:
            out = F.dropout(out, p=self.drop_rate, training=self.training)
        return self.conv2(out) + identity


@MODELS.register_module()
class WideResNet(TrainReturnsSelfMixin, BaseBackbone):
    """WRN-depth-k of the CRD benchmark (RepDistiller ``wrn_16_1``,
    ``wrn_16_2``, ``wrn_40_1``, ``wrn_40_2``).

    Layout: ``conv1`` (3x3, 3 -> 16) -> ``layer1`` / ``layer2`` / ``layer3``
    (n pre-activation blocks each) -> ``final_bn`` + ReLU. For a 32 x 32
    input the stages run at 32 / 16 / 8 pixels; the last output is the
    64k x 8 x 8 map after the final BN + ReLU, so global average pooling +
    a linear head reproduce the benchmark's ``avg_pool2d(8)`` + ``fc``.

    Args:
        depth (int): Depth; (depth - 4) must be divisible by 6.
        widen_factor (int): Width multiplier k. Defaults to 1.
        drop_rate (float): Dropout inside the blocks (the benchmark uses 0).
            Defaults to 0.
        out_indices (Sequence[int], optional): Stages (0, 1, 2) to return.
            Stages 0 and 1 give their raw residual sums (as the benchmark's
            ``f1``, ``f2``), stage 2 the map after the final BN + ReLU.
            Defaults to (2, ).
        init_cfg (list[dict], optional): Defaults to the benchmark's
            initialisation (conv kaiming normal fan_out, BN 1 / 0).
    """

    def __init__(self,
                 depth: int,
                 widen_factor: int = 1,
                 drop_rate: float = 0.0,
                 out_indices: Sequence[int] = (2, ),
                 init_cfg: Optional[List[dict]] = BENCHMARK_INIT) -> None:
        super().__init__(init_cfg=init_cfg)
        if depth < 10 or (depth - 4) % 6 != 0:
            raise ValueError(
                'WideResNet: expected depth = 6n + 4 with n >= 1 (e.g. 16, '
                f'28, 40), got {depth}.')
        if any(i not in (0, 1, 2) for i in out_indices):
            raise ValueError('WideResNet: out_indices must be in (0, 1, 2), '
                             f'got {tuple(out_indices)}.')
        n = (depth - 4) // 6
        widths = [16, 16 * widen_factor, 32 * widen_factor, 64 * widen_factor]
        self.depth = depth
        self.widen_factor = widen_factor
        self.out_indices = tuple(out_indices)
        self.stage_channels = widths
        self.conv1 = nn.Conv2d(3, widths[0], 3, 1, padding=1, bias=False)
        for i, stride in enumerate((1, 2, 2)):
            blocks = [
                PreActBasicBlock(
                    widths[i] if j == 0 else widths[i + 1], widths[i + 1],
                    stride if j == 0 else 1, drop_rate) for j in range(n)
            ]
            self.add_module(f'layer{i + 1}', nn.Sequential(*blocks))
        self.final_bn = nn.BatchNorm2d(widths[3])
        self.feat_dim = widths[3]

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Args:
            x (torch.Tensor): Images, (N, 3, 32, 32).

        Returns:
            tuple[torch.Tensor]: The maps of ``out_indices``; the last stage
            is (N, 64k, 8, 8) after the final BN + ReLU.
        """
        x = self.conv1(x)
        outs = []
        for i in range(3):
            x = getattr(self, f'layer{i + 1}')(x)
            if i == 2:
                x = F.relu(self.final_bn(x))
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)
