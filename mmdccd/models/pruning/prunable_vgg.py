"""A CIFAR VGG-BN with PDD channel masks, and its pruned form."""
from collections import OrderedDict
from typing import Dict, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from ..backbones.cifar_vgg import VGG_ARCHS, CIFARVGG
from .approx_sign import ChannelMask
from .channel_slicing import (ChannelGroup, prune_channel_groups,
                              widths_to_keep)


@MODELS.register_module()
class PrunableCIFARVGG(CIFARVGG):
    """:class:`CIFARVGG` with one PDD mask after every conv layer, or pruned.

    Group ``block{i}_{k}`` is the output of conv ``k`` of block ``i``: the
    mask multiplies ``ReLU(BN(conv(x)))`` (after the ReLU, so a closed
    channel still gets a surrogate gradient; max-pooling a zero channel gives
    zero). A closed channel removes the conv filter, the BN entry and the
    input channel of the next conv (or of the classifier's ``fc`` for the
    last conv). The state-dict keys are those of :class:`CIFARVGG`; the mask
    values are ``pdd_masks.<group>.m``.

    ``group_widths`` builds the pruned network (no masks, fewer channels).

    Args:
        depth (int): One of 8, 11, 13, 16, 19.
        use_masks (bool): Insert the PDD masks. Defaults to True.
        group_widths (dict[str, int], optional): Channels kept in each group
            (the pruned network); implies no masks. Defaults to None.
        mask_init_scale (float): ``m ~ N(0, 1) * mask_init_scale``. Defaults
            to 1e-3 (the paper).
        **kwargs: Other arguments of :class:`CIFARVGG`.
    """

    def __init__(self,
                 depth: int,
                 use_masks: bool = True,
                 group_widths: Optional[Dict[str, int]] = None,
                 mask_init_scale: float = 1e-3,
                 **kwargs) -> None:
        super().__init__(depth, **kwargs)
        groups = self.channel_groups()
        self.use_masks = use_masks and group_widths is None
        if group_widths is not None:
            prune_channel_groups(self, groups, widths_to_keep(group_widths))
            self.stage_channels = [
                group_widths.get(self._group(i, len(w) - 1), w[-1])
                for i, w in enumerate(VGG_ARCHS[depth])
            ]
            self.feat_dim = self.stage_channels[-1]
        if self.use_masks:
            self.pdd_masks = nn.ModuleDict({
                name: ChannelMask(
                    self.get_submodule(group.producers[0][1]).num_features,
                    mask_init_scale)
                for name, group in groups.items()
            })
            for i, widths in enumerate(VGG_ARCHS[depth]):
                for k in range(len(widths) - 1):  # last ReLU: in forward()
                    getattr(self, f'block{i}')[3 * k + 2].register_forward_hook(
                        self.pdd_masks[self._group(i, k)].forward_hook)

    @staticmethod
    def _group(block: int, conv: int) -> str:
        return f'block{block}_{conv}'

    @property
    def output_group(self) -> str:
        """The group of the backbone's output (read by the head)."""
        return self._group(4, len(VGG_ARCHS[self.depth][4]) - 1)

    def channel_groups(self) -> Dict[str, ChannelGroup]:
        """One group per conv layer (names relative to the backbone; the
        head's ``fc`` reads :attr:`output_group`)."""
        layers = [(i, k) for i, widths in enumerate(VGG_ARCHS[self.depth])
                  for k in range(len(widths))]
        groups = OrderedDict()
        for n, (i, k) in enumerate(layers):
            consumers = ()
            if n + 1 < len(layers):
                ni, nk = layers[n + 1]
                consumers = (f'block{ni}.{3 * nk}', )
            groups[self._group(i, k)] = ChannelGroup(
                ((f'block{i}.{3 * k}', f'block{i}.{3 * k + 1}'), ),
                consumers)
        return groups

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
            x = self.pdd_masks[self._group(i, len(widths) - 1)](x)
            if i in self.out_indices:
                outs.append(x)
            if i in pool_after:
                x = F.max_pool2d(x, kernel_size=2, stride=2)
        return tuple(outs)
