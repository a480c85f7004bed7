"""A CIFAR VGG-BN with PDD channel masks, and its pruned form."""
from collections import OrderedDict
from typing import Dict, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from ..backbones.cifar_vgg import VGG_ARCHS, CIFARVGG
from .channel_slicing import ChannelGroup
from .prunable import PrunableMixin


def vgg_group(block: int, conv: int) -> str:
    """The name of the channel group of conv ``conv`` of block ``block``."""
    return f'block{block}_{conv}'


def vgg_channel_groups(
        arch: Sequence[Sequence[int]],
        output_consumers: Tuple[str, ...] = ()) -> Dict[str, ChannelGroup]:
    """One group per conv of a VGG whose block ``i`` holds conv ``3k`` and
    BN ``3k + 1`` for its ``k``-th conv; each group is read by the next conv,
    the last by ``output_consumers``.

    Args:
        arch (Sequence[Sequence[int]]): Conv widths per block.
        output_consumers (tuple[str]): Layers reading the last conv's
            channels inside the backbone. Defaults to ``()`` (the head's).

    Returns:
        dict[str, ChannelGroup]: Groups ``block{i}_{k}`` in layer order.
    """
    layers = [(i, k) for i, widths in enumerate(arch)
              for k in range(len(widths))]
    groups = OrderedDict()
    for n, (i, k) in enumerate(layers):
        consumers = output_consumers
        if n + 1 < len(layers):
            ni, nk = layers[n + 1]
            consumers = (f'block{ni}.{3 * nk}', )
        groups[vgg_group(i, k)] = ChannelGroup(
            ((f'block{i}.{3 * k}', f'block{i}.{3 * k + 1}'), ), consumers)
    return groups


@MODELS.register_module()
class PrunableCIFARVGG(PrunableMixin, CIFARVGG):
    """:class:`CIFARVGG` with one PDD mask after every conv layer, or pruned.

    Group ``block{i}_{k}`` is the output of conv ``k`` of block ``i``: the
    mask multiplies ``ReLU(BN(conv(x)))`` (after the ReLU, so a closed
    channel still gets a surrogate gradient; max-pooling a zero channel gives
    zero). A closed channel removes the conv filter, the BN entry and the
    input channel of the next conv (or of the classifier's ``fc`` for the
    last conv). The state-dict keys are those of :class:`CIFARVGG`; the mask
    values are ``pdd_masks.<group>.m``.

    ``group_widths`` builds the pruned network (no masks, fewer channels).

    Args: see :class:`PrunableMixin` (``depth``: 8, 11, 13, 16 or 19; other
    arguments of :class:`CIFARVGG`).
    """

    def set_pruned_widths(self, group_widths: Dict[str, int]) -> None:
        self.stage_channels = [
            group_widths.get(vgg_group(i, len(w) - 1), w[-1])
            for i, w in enumerate(VGG_ARCHS[self.depth])
        ]
        self.feat_dim = self.stage_channels[-1]

    def install_masks(self) -> None:
        for i, widths in enumerate(VGG_ARCHS[self.depth]):
            for k in range(len(widths) - 1):  # last ReLU: in forward()
                getattr(self, f'block{i}')[3 * k + 2].register_forward_hook(
                    self.pdd_masks[vgg_group(i, k)].forward_hook)

    @property
    def output_group(self) -> str:
        """The group of the backbone's output (read by the head)."""
        return vgg_group(4, len(VGG_ARCHS[self.depth][4]) - 1)

    def channel_groups(self) -> Dict[str, ChannelGroup]:
        """One group per conv layer (names relative to the backbone; the
        head's ``fc`` reads :attr:`output_group`)."""
        return vgg_channel_groups(VGG_ARCHS[self.depth])

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """:meth:`CIFARVGG.forward` with the mask of each block's last conv
        applied after the block's ReLU.

        Args:
            x (torch.Tensor): Images, (N, 3, H, H), H = 32 (or 64).

        Returns:
            tuple[torch.Tensor]: Masked, ReLU'd block outputs of
            ``out_indices``.
        """
        if not self.use_masks:
            return super().forward(x)
        pool_after = {0, 1, 2, 3} if x.shape[2] == 64 else {0, 1, 2}
        outs = []
        for i, widths in enumerate(VGG_ARCHS[self.depth]):
            x = F.relu(getattr(self, f'block{i}')(x))
            x = self.pdd_masks[vgg_group(i, len(widths) - 1)](x)
            if i in self.out_indices:
                outs.append(x)
            if i in pool_after:
                x = F.max_pool2d(x, kernel_size=2, stride=2)
        return tuple(outs)
