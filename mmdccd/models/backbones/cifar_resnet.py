"""The CIFAR ResNets of the CRD benchmark (RepDistiller ``resnet*``,
``resnet*x4`` and ``ResNet50``) as one mmpretrain backbone.

Facts (RepDistiller's CIFAR models, github.com/HobbitLong/RepDistiller):

* ``resnet8 ... resnet110``: 3x3 stem (3 -> 16, stride 1) + BN + ReLU, no
  max-pool, three stages of n = (depth - 2) / 6 BasicBlocks with widths
  16 / 32 / 64 and strides 1 / 2 / 2. The shortcut is a *projection*
  (``Conv1x1(stride) + BN``, "option B") wherever the stride or the width
  changes. ``resnet8x4`` / ``resnet32x4`` use the stem width 32 and the
  stage widths 64 / 128 / 256, so layer1.0 also gets a projection.
* ``ResNet50``: kuangliu-style CIFAR ResNet-50 = mmpretrain's
  ``ResNet_CIFAR(depth=50)`` (3x3 stride-1 stem, no max-pool, stride on the
  3x3 conv, conv1x1 + BN downsample), initialised without zero-init of the
  last BN of each block.

mmpretrain's ``ResNet_CIFAR`` already implements the stem, the BasicBlock /
Bottleneck and the projection rule ("downsample iff stride != 1 or
in != out") exactly as above; :class:`CIFARResNet` only adds the 3-stage
depths and the benchmark's widths and initialisation.
"""
from typing import Dict, Optional, Sequence, Tuple

from mmpretrain.models.backbones.resnet import BasicBlock, ResNet
from mmpretrain.models.backbones.resnet_cifar import ResNet_CIFAR
from mmpretrain.registry import MODELS

from .train_mode import TrainReturnsSelfMixin

#: depth -> BasicBlocks per stage for the 3-stage CIFAR ResNets,
#: n = (depth - 2) / 6.
THREE_STAGE_DEPTHS: Dict[int, int] = {
    d: (d - 2) // 6
    for d in (8, 14, 20, 32, 44, 56, 110)
}

#: widen -> (stem width, width of stage 1). Stages 2 and 3 double it.
#: widen=1: [16, 16, 32, 64]; widen=4 (the "x4" nets): [32, 64, 128, 256].
WIDTHS: Dict[int, Tuple[int, int]] = {1: (16, 16), 4: (32, 64)}


@MODELS.register_module()
class CIFARResNet(TrainReturnsSelfMixin, ResNet_CIFAR):
    """CIFAR ResNet of the CRD benchmark (RepDistiller ``resnet{depth}``,
    ``resnet{depth}x4`` and ``ResNet50``).

    ``depth`` in {8, 14, 20, 32, 44, 56, 110} builds the 3-stage BasicBlock
    network of He et al. with the benchmark's projection shortcuts;
    ``depth`` in {18, 34, 50, 101, 152} builds the 4-stage kuangliu-style
    network (``depth=50`` is RepDistiller's ``ResNet50``).

    The last output is the last stage's feature map before global pooling:
    64 x 8 x 8 (``widen=1``), 256 x 8 x 8 (``widen=4``) or 2048 x 4 x 4
    (``depth=50``) for a 32 x 32 input.

    Args:
        depth (int): Network depth, see above.
        widen (int): Width multiplier of the 3-stage nets: 1 (stage widths
            16/32/64) or 4 (stem 32, stage widths 64/128/256). Must be 1 for
            the 4-stage nets. Defaults to 1.
        out_indices (Sequence[int], optional): Stages whose outputs are
            returned. Defaults to the last stage only.
        zero_init_residual (bool): Zero-init the last BN of every block.
            The benchmark does not. Defaults to False.
        **kwargs: Further arguments of mmpretrain's ``ResNet`` (e.g.
            ``frozen_stages``, ``norm_eval``, ``init_cfg``). The default
            init is the benchmark's: conv ``kaiming_normal_(fan_out, relu)``,
            BN weight 1 / bias 0.
    """

    arch_settings = {
        **ResNet.arch_settings,
        **{d: (BasicBlock, (n, n, n))
           for d, n in THREE_STAGE_DEPTHS.items()},
    }

    def __init__(self,
                 depth: int,
                 widen: int = 1,
                 out_indices: Optional[Sequence[int]] = None,
                 zero_init_residual: bool = False,
                 **kwargs) -> None:
        if depth in THREE_STAGE_DEPTHS:
            if widen not in WIDTHS:
                raise ValueError(
                    f'CIFARResNet: expected widen in {sorted(WIDTHS)} for the '
                    f'3-stage depth {depth}, got widen={widen}. Use widen=4 '
                    'for the "x4" nets (resnet8x4, resnet32x4).')
            stem_channels, base_channels = WIDTHS[widen]
            defaults = dict(
                stem_channels=stem_channels,
                base_channels=base_channels,
                num_stages=3,
                strides=(1, 2, 2),
                dilations=(1, 1, 1))
        elif depth in ResNet.arch_settings:
            if widen != 1:
                raise ValueError(
                    f'CIFARResNet: widen={widen} is only defined for the '
                    f'3-stage depths {sorted(THREE_STAGE_DEPTHS)}; depth '
                    f'{depth} is a 4-stage net, use widen=1 (or set '
                    'base_channels).')
            defaults = dict(num_stages=4)
        else:
            raise ValueError(
                f'CIFARResNet: expected depth in '
                f'{sorted(THREE_STAGE_DEPTHS)} (3-stage CIFAR ResNets) or '
                f'{sorted(ResNet.arch_settings)} (4-stage), got {depth}.')
        defaults.update(kwargs)
        if out_indices is None:
            out_indices = (defaults['num_stages'] - 1, )
        self.widen = widen
        super().__init__(
            depth,
            out_indices=tuple(out_indices),
            zero_init_residual=zero_init_residual,
            **defaults)
