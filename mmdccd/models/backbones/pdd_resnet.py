"""The CIFAR ResNets of the PDD authors' code (Cognitive Computation 2024):
their ``resnet20`` student and ``resnet56`` teacher.

Facts (their public code, ``resnet_kd.py`` and ``model/samll_resnet.py``):

* 3x3 stem (3 -> 16, stride 1, no bias) + BN + ReLU, three stages of
  BasicBlocks (``conv3x3 -> BN -> ReLU -> conv3x3 -> BN``, + shortcut,
  ReLU), strides 1 / 2 / 2 on the first block of each stage, global average
  pooling and ``Linear(C, classes)``.
* Shortcuts are parameter-free ("option A"): the input, subsampled
  ``[:, :, ::2, ::2]`` where the block has stride 2, zero-padded along the
  channels by ``(out - in) // 2`` in front and the rest behind. A negative
  pad (``in > out``, the authors' pruned nets) crops instead.
* Their ``resnet20`` student *widens at the last block* of stages 1 and 2
  (block outputs 16, 16, 32 | 32, 32, 64 | 64, 64, 64; every block's
  internal width equals its output width): 339,034 parameters and 61.78M
  conv + linear MACs for 10 classes, against 272,474 / 40.8M for the
  benchmark's :class:`CIFARResNet` ``depth=20``. Their ``resnet56`` teacher
  (akamaster's) widens at the first block of stages 2 and 3 (853,018
  parameters).
* Convs and the linear layer are initialised with ``kaiming_normal_``
  (fan-in, gain sqrt(2)); BN weight 1, bias 0.

``widths`` rebuilds the authors' pruned networks (their ``out_cfg``).
"""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS

from .train_mode import TrainReturnsSelfMixin

#: depth -> the authors' ``out_cfg``: the stem width, then every block's
#: output width (stage by stage).
PDD_RESNET_WIDTHS: Dict[int, List[int]] = {
    20: [16, 16, 16, 32, 32, 32, 64, 64, 64, 64],
    56: [16] + [16] * 9 + [32] * 9 + [64] * 9,
}

PDD_RESNET_INIT = [
    dict(
        type='Kaiming',
        layer='Conv2d',
        mode='fan_in',
        nonlinearity='relu',
        distribution='normal'),
    dict(type='Constant', val=1, bias=0, layer='_BatchNorm'),
]


def zero_pad_source(in_channels: int, out_channels: int) -> torch.Tensor:
    """The channel map of the authors' zero-padded shortcut.

    Output channel ``o`` copies input channel ``o - (out - in) // 2`` when
    that index exists and is zero otherwise (index ``in_channels`` stands for
    the zero channel).

    Args:
        in_channels (int): Channels of the block's input.
        out_channels (int): Channels of the block's output.

    Returns:
        torch.Tensor: ``(out_channels, )`` long indices into
        ``0 .. in_channels``.
    """
    source = torch.arange(out_channels) - (out_channels - in_channels) // 2
    valid = (source >= 0) & (source < in_channels)
    return torch.where(valid, source, torch.full_like(source, in_channels))


class ChannelPlacementShortcut(nn.Module):
    """A parameter-free shortcut that places input channels in the output.

    ``out[:, o] = x[:, source[o], ::s, ::s]``, or 0 where
    ``source[o] == in_channels``. Built dense it is the authors' zero-padded
    shortcut (:func:`zero_pad_source`); after exact pruning ``source`` maps
    every kept output channel to the kept input channel it was added to in
    the unpruned network (a persistent buffer, saved in the checkpoint).

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int): Spatial subsampling ``[::stride, ::stride]``.
    """

    def __init__(self, in_channels: int, out_channels: int,
                 stride: int) -> None:
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.stride = stride
        self.register_buffer('source',
                             zero_pad_source(in_channels, out_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Args:
            x (torch.Tensor): ``(N, in_channels, H, W)``.

        Returns:
            torch.Tensor: ``(N, out_channels, H / stride, W / stride)``.
        """
        if self.stride != 1:
            x = x[:, :, ::self.stride, ::self.stride]
        x = torch.cat([x, x.new_zeros(x.shape[0], 1, *x.shape[2:])], dim=1)
        return x[:, self.source]

    def extra_repr(self) -> str:
        return (f'{self.in_channels}, {self.out_channels}, '
                f'stride={self.stride}')


class PDDBasicBlock(nn.Module):
    """``relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))``.

    Args:
        in_channels (int): Input channels.
        mid_channels (int): Output channels of ``conv1`` (the authors: equal
            to ``out_channels``; smaller after exact pruning).
        out_channels (int): Output channels.
        stride (int): Stride of ``conv1`` and of the shortcut.
    """

    def __init__(self, in_channels: int, mid_channels: int,
                 out_channels: int, stride: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(
            in_channels, mid_channels, 3, stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(mid_channels)
        self.conv2 = nn.Conv2d(
            mid_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.shortcut = ChannelPlacementShortcut(in_channels, out_channels,
                                                 stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))


@MODELS.register_module()
class PDDCIFARResNet(TrainReturnsSelfMixin, BaseBackbone):
    """The PDD authors' CIFAR ResNet (see the module docstring).

    Args:
        depth (int): 20 (their student) or 56 (their teacher).
        widths (Sequence[int], optional): The stem width and every block's
            output width (the authors' ``out_cfg``, ``1 + 3 n`` numbers);
            block ``j`` reads ``widths[j]`` channels and its internal width
            is its output width. Defaults to None (the dense widths of
            ``depth``, :data:`PDD_RESNET_WIDTHS`).
        out_indices (Sequence[int]): Stages (0..2) whose outputs are
            returned. Defaults to ``(2, )``: the ``(N, C, 8, 8)`` map for a
            32 x 32 input.
        in_channels (int): Channels of the input images (the authors' code
            hard-codes 3; 1 for grey images such as Fashion-MNIST).
            Defaults to 3.
        init_cfg (list[dict], optional): Defaults to the authors' init.
    """

    def __init__(self,
                 depth: int = 20,
                 widths: Optional[Sequence[int]] = None,
                 out_indices: Sequence[int] = (2, ),
                 in_channels: int = 3,
                 init_cfg: Optional[List[dict]] = PDD_RESNET_INIT) -> None:
        super().__init__(init_cfg=init_cfg)
        if depth not in PDD_RESNET_WIDTHS:
            raise ValueError(f'PDDCIFARResNet: expected depth in '
                             f'{sorted(PDD_RESNET_WIDTHS)}, got {depth}.')
        widths = list(PDD_RESNET_WIDTHS[depth] if widths is None else widths)
        n = (depth - 2) // 6
        if len(widths) != 1 + 3 * n:
            raise ValueError(
                f'PDDCIFARResNet(depth={depth}): expected {1 + 3 * n} widths '
                f'(the stem, then {3 * n} block outputs), got {len(widths)}.')
        if any(i not in range(3) for i in out_indices):
            raise ValueError('PDDCIFARResNet: out_indices must be in 0..2, '
                             f'got {tuple(out_indices)}.')
        self.depth = depth
        self.blocks_per_stage = n
        self.out_indices = tuple(out_indices)
        self.conv1 = nn.Conv2d(
            in_channels, widths[0], 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.res_layers = []
        for s in range(3):
            blocks = []
            for k in range(n):
                j = s * n + k
                stride = 2 if s > 0 and k == 0 else 1
                blocks.append(
                    PDDBasicBlock(widths[j], widths[j + 1], widths[j + 1],
                                  stride))
            self.add_module(f'layer{s + 1}', nn.Sequential(*blocks))
            self.res_layers.append(f'layer{s + 1}')
        self.feat_dim = widths[-1]

    def blocks(self) -> List[Tuple[str, PDDBasicBlock]]:
        """``(name, block)`` of every block in order (the authors' mask
        order ``mask.0 .. mask.{3n-1}``)."""
        return [(f'{layer}.{k}', block) for layer in self.res_layers
                for k, block in enumerate(getattr(self, layer))]

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Args:
            x (torch.Tensor): Images, ``(N, in_channels, 32, 32)``.

        Returns:
            tuple[torch.Tensor]: Stage outputs of ``out_indices``.
        """
        x = F.relu(self.bn1(self.conv1(x)))
        outs = []
        for i, layer in enumerate(self.res_layers):
            x = getattr(self, layer)(x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)
