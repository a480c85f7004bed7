"""The CIFAR VGG-BN of the PDD authors' code (Cognitive Computation 2024):
their ``cvgg11_bn`` student and ``cvgg16_bn`` teacher.

Facts (their public code, ``vgg_kd.py`` and ``model/VGG_cifar.py``): the
benchmark's conv widths (:data:`VGG_ARCHS`: cfg A for 11, D for 16), every
conv ``3x3, pad 1, bias`` + BN + ReLU, but a 2x2 max-pool after *every* one
of the five blocks (32 -> 1), and a three-layer classifier
``Dropout -> Linear(512, 512) -> ReLU -> Dropout -> Linear(512, 512) -> ReLU
-> Linear(512, classes)``. Their VGG11 has 9,756,426 parameters and 153.29M
conv + linear MACs for 10 classes, against 9,231,114 / 209.4M for the
benchmark's :class:`CIFARVGG` ``depth=11`` (four pools, one linear layer).

Here the backbone holds the convs and the classifier's first two linear
layers (so its output is the 512-d penultimate feature); the head's ``fc``
is the third. Convs are drawn from ``normal(0, sqrt(2 / (k * k * out)))``
with bias 0 (the benchmark's init); the linear layers keep PyTorch's default
init, as in the authors' code. ``widths`` rebuilds the authors' pruned nets
(e.g. their ``A_v16_v11_c10`` cfg).
"""
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS

from .benchmark_init import BENCHMARK_INIT
from .cifar_vgg import VGG_ARCHS, make_vgg_block
from .train_mode import TrainReturnsSelfMixin


@MODELS.register_module()
class PDDCIFARVGG(TrainReturnsSelfMixin, BaseBackbone):
    """The PDD authors' CIFAR VGG-BN (see the module docstring).

    Block ``i`` is ``[conv, BN, ReLU] * len(widths[i])`` (conv ``3k``, BN
    ``3k + 1``, ReLU ``3k + 2``), followed by max-pooling in ``forward``.

    Args:
        depth (int): 11 (their student) or 16 (their teacher); any depth of
            :data:`VGG_ARCHS` works. Defaults to 11.
        widths (Sequence[Sequence[int]], optional): Conv widths per block
            (five blocks). Defaults to None (``VGG_ARCHS[depth]``).
        hidden_channels (int): Width of the two hidden linear layers.
            Defaults to 512.
        dropout (float): Dropout probability before each hidden linear
            layer. Defaults to 0.5 (``nn.Dropout()``).
        in_channels (int): Channels of the input images (the authors' code
            hard-codes 3; 1 for grey images). Defaults to 3.
        init_cfg (list[dict], optional): Defaults to the authors' conv init.
    """

    def __init__(self,
                 depth: int = 11,
                 widths: Optional[Sequence[Sequence[int]]] = None,
                 hidden_channels: int = 512,
                 dropout: float = 0.5,
                 in_channels: int = 3,
                 init_cfg: Optional[List[dict]] = BENCHMARK_INIT) -> None:
        super().__init__(init_cfg=init_cfg)
        if depth not in VGG_ARCHS:
            raise ValueError(f'PDDCIFARVGG: expected depth in '
                             f'{sorted(VGG_ARCHS)}, got {depth}.')
        arch = [list(w) for w in (VGG_ARCHS[depth] if widths is None
                                  else widths)]
        if [len(w) for w in arch] != [len(w) for w in VGG_ARCHS[depth]]:
            raise ValueError(
                f'PDDCIFARVGG(depth={depth}): expected conv widths shaped '
                f'like {VGG_ARCHS[depth]}, got {arch}.')
        self.depth = depth
        self.arch = arch
        for i, block_widths in enumerate(arch):
            block = make_vgg_block(in_channels, block_widths)
            block.append(nn.ReLU(inplace=True))
            self.add_module(f'block{i}', block)
            in_channels = block_widths[-1]
        self.classifier = nn.Sequential(
            nn.Dropout(dropout), nn.Linear(in_channels, hidden_channels),
            nn.ReLU(inplace=True), nn.Dropout(dropout),
            nn.Linear(hidden_channels, hidden_channels), nn.ReLU(inplace=True))
        self.feat_dim = hidden_channels

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        """Args:
            x (torch.Tensor): Images, ``(N, in_channels, 32, 32)``.

        Returns:
            tuple[torch.Tensor]: The ``(N, hidden_channels)`` output of the
            second hidden linear layer.
        """
        for i in range(len(self.arch)):
            x = F.max_pool2d(getattr(self, f'block{i}')(x), 2)
        if x.shape[2:] != (1, 1):
            raise ValueError(
                'PDDCIFARVGG expects 32 x 32 images (five 2x2 poolings down '
                f'to 1 x 1), but the last block gave {tuple(x.shape[2:])}.')
        return (self.classifier(x.flatten(1)), )
