"""The PDD authors' CIFAR ResNet with PDD channel masks, and its exact pruned
form."""
from collections import OrderedDict
from typing import Dict

from mmpretrain.registry import MODELS

from ..backbones.pdd_resnet import PDDCIFARResNet
from .channel_slicing import ChannelGroup
from .prunable import PrunableMixin


@MODELS.register_module()
class PrunablePDDCIFARResNet(PrunableMixin, PDDCIFARResNet):
    """:class:`PDDCIFARResNet` with the PDD masks, or pruned exactly.

    Masks (forward hooks; the network's state-dict keys are those of
    :class:`PDDCIFARResNet` plus ``pdd_masks.<group>.m``):

    * ``block{j}``, one per block, on the block's output after the addition
      and the ReLU: the authors' placement (their ``mask.{j}``; the stem has
      no mask). A closed channel is removed from the block's ``conv2`` /
      ``bn2`` and from its shortcut's outputs, and from the readers: the next
      block's ``conv1`` and shortcut inputs, or the classifier's ``fc``.
    * ``block{j}_mid``, one per block, on the output of
      ``conv1 -> bn1 -> ReLU`` (the input of ``conv2``). The authors have no
      mask there and prune ``conv1``'s filters with the block-output mask,
      which the masked network never applied to them; a mask of its own
      makes the removal exact.

    The shortcuts are :class:`ChannelPlacementShortcut` s, so pruning is
    exact (the pruned network's outputs equal the masked network's in eval
    mode): every kept output channel keeps adding the input channel it added
    in the unpruned network, or nothing if that one was removed. The
    authors' pruned network instead pads its shortcut by position, adding
    the ``k``-th kept input channel to the ``k + pad``-th kept output channel
    whatever their original indices.

    Args: see :class:`PrunableMixin` (``depth``: 20 or 56, see
    :class:`PDDCIFARResNet`).
    """

    def set_pruned_widths(self, group_widths: Dict[str, int]) -> None:
        self.feat_dim = group_widths.get(self.output_group, self.feat_dim)

    def install_masks(self) -> None:
        for j, (_, block) in enumerate(self.blocks()):
            block.register_forward_hook(
                self.pdd_masks[f'block{j}'].forward_hook)
            block.conv2.register_forward_pre_hook(
                self.pdd_masks[f'block{j}_mid'].forward_pre_hook)

    @property
    def output_group(self) -> str:
        """The group of the backbone's output (read by the head)."""
        return f'block{len(self.blocks()) - 1}'

    def channel_groups(self) -> Dict[str, ChannelGroup]:
        """The block-output and block-internal groups (names relative to the
        backbone; the head's ``fc`` reads :attr:`output_group`)."""
        blocks = self.blocks()
        groups = OrderedDict()
        for j, (name, _) in enumerate(blocks):
            readers = ()
            if j + 1 < len(blocks):
                nxt = blocks[j + 1][0]
                readers = (f'{nxt}.conv1', f'{nxt}.shortcut')
            groups[f'block{j}'] = ChannelGroup(
                ((f'{name}.conv2', f'{name}.bn2'), ), readers,
                (f'{name}.shortcut', ))
        for j, (name, _) in enumerate(blocks):
            groups[f'block{j}_mid'] = ChannelGroup(
                ((f'{name}.conv1', f'{name}.bn1'), ), (f'{name}.conv2', ))
        return groups
