"""The PDD authors' CIFAR VGG with PDD channel masks, and its pruned form."""
from typing import Dict

from mmpretrain.registry import MODELS

from ..backbones.pdd_vgg import PDDCIFARVGG
from .channel_slicing import ChannelGroup
from .prunable import PrunableMixin
from .prunable_vgg import vgg_channel_groups, vgg_group


@MODELS.register_module()
class PrunablePDDCIFARVGG(PrunableMixin, PDDCIFARVGG):
    """:class:`PDDCIFARVGG` with one PDD mask after every conv, or pruned.

    Group ``block{i}_{k}`` is the output of conv ``k`` of block ``i``; its
    mask multiplies ``ReLU(BN(conv(x)))`` before the max-pool, where the
    authors put theirs (``'msk'`` after every conv in their cfg ``A``). A
    closed channel removes the conv filter, the BN entry and the input
    channel of the next conv, or, for the last conv, of the classifier's
    first linear layer (``classifier.1``; the hidden widths stay 512, as in
    the authors' pruned nets). The backbone's output width never changes,
    so the head is not touched (:attr:`output_group` is None).

    Args: see :class:`PrunableMixin` (``depth``: 11 or 16, see
    :class:`PDDCIFARVGG`).
    """

    output_group = None

    def install_masks(self) -> None:
        for i, widths in enumerate(self.arch):
            for k in range(len(widths)):
                getattr(self, f'block{i}')[3 * k + 2].register_forward_hook(
                    self.pdd_masks[vgg_group(i, k)].forward_hook)

    def channel_groups(self) -> Dict[str, ChannelGroup]:
        """One group per conv layer (names relative to the backbone)."""
        return vgg_channel_groups(self.arch, ('classifier.1', ))
