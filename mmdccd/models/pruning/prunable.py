"""The part every Prunable* backbone shares: build with PDD masks, or build
the pruned network directly from its kept widths."""
from typing import Dict, Optional

import torch.nn as nn

from .approx_sign import ChannelMask
from .channel_slicing import ChannelGroup, prune_channel_groups, widths_to_keep


class PrunableMixin:
    """Mixin for a dense backbone ``Base(depth, **kwargs)``: put it first in
    the bases (``class PrunableX(PrunableMixin, X)``) and define
    :meth:`channel_groups`, :meth:`install_masks` and ``output_group`` (the
    group the head's ``fc`` reads, or None).

    With ``group_widths`` the backbone is pruned in place to those widths
    (the network ``tools/model_converters/pdd_prune.py`` writes, no masks);
    otherwise, with ``use_masks``, one :class:`ChannelMask` per channel group
    (sized by its first producer BN) lives in ``pdd_masks`` and
    :meth:`install_masks` hooks them in.

    Args:
        depth (int): The depth of the dense backbone.
        use_masks (bool): Insert the PDD masks. Defaults to True.
        group_widths (dict[str, int], optional): Channels kept in each group
            (the pruned network); implies no masks. Defaults to None.
        mask_init_scale (float): ``m ~ N(0, 1) * mask_init_scale``. Defaults
            to 1e-3 (the paper).
        **kwargs: Other arguments of the dense backbone.
    """

    #: depths the pruning supports (None: those of the dense backbone)
    prunable_depths = None

    def __init__(self,
                 depth: int,
                 use_masks: bool = True,
                 group_widths: Optional[Dict[str, int]] = None,
                 mask_init_scale: float = 1e-3,
                 **kwargs) -> None:
        if self.prunable_depths is not None and \
                depth not in self.prunable_depths:
            raise ValueError(
                f'{type(self).__name__}: expected depth in '
                f'{sorted(self.prunable_depths)}, got {depth}.')
        super().__init__(depth, **kwargs)
        groups = self.channel_groups()
        self.use_masks = use_masks and group_widths is None
        if group_widths is not None:
            prune_channel_groups(self, groups, widths_to_keep(group_widths))
            self.set_pruned_widths(group_widths)
        if self.use_masks:
            self.pdd_masks = nn.ModuleDict({
                name: ChannelMask(
                    self.get_submodule(group.producers[0][1]).num_features,
                    mask_init_scale)
                for name, group in groups.items()
            })
            self.install_masks()

    def channel_groups(self) -> Dict[str, ChannelGroup]:
        """The channel groups, by name (names relative to the backbone)."""
        raise NotImplementedError

    def install_masks(self) -> None:
        """Register the masks of ``pdd_masks`` as hooks."""
        raise NotImplementedError

    def set_pruned_widths(self, group_widths: Dict[str, int]) -> None:
        """Update width attributes after pruning to ``group_widths``."""
