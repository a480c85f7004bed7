"""A 3-stage CIFAR ResNet with PDD channel masks, and its pruned form."""
from collections import OrderedDict
from typing import Dict, List

from mmpretrain.models.backbones.resnet import BasicBlock
from mmpretrain.registry import MODELS

from ..backbones.cifar_resnet import THREE_STAGE_DEPTHS, CIFARResNet
from .channel_slicing import ChannelGroup
from .prunable import PrunableMixin


@MODELS.register_module()
class PrunableCIFARResNet(PrunableMixin, CIFARResNet):
    """:class:`CIFARResNet` (3-stage depths) with the PDD masks, or pruned.

    PDD (Cognitive Computation 2024) puts a learnable mask after the
    student's blocks. A residual block's output channel ``c`` is added to
    channel ``c`` of the identity shortcut, so a mask on a block output can
    only remove a channel if it removes it from the whole residual stream of
    the stage. Our placement (a choice; the abstract only says "a
    differentiable mask for each convolutional layer"):

    * **stage masks** ``stage{s}`` (one per stage, shared): applied to the
      output of *every* block of stage ``s`` — and to the stem's output when
      the first block of stage 1 has an identity shortcut (``widen=1``), since
      the stem then starts the same residual stream. A closed channel is zero
      everywhere in the stream, so it is removed from every block's ``conv2``
      / ``bn2`` and projection shortcut, the stem (when shared), and the input
      of every reader: the next blocks' ``conv1``, the next stage's
      projection, or the classifier's ``fc``.
    * **block masks** ``layer{s}_{j}`` (one per block): applied to the
      block's internal channels (after ``conv1 -> bn1 -> ReLU``, i.e. on the
      input of ``conv2``). Always safe: they remove ``conv1`` filters,
      ``bn1`` entries and ``conv2`` input channels.

    Every mask is applied after a ReLU, so a closed channel still gets a
    surrogate gradient (a mask before a ReLU would block it). The masks are
    forward hooks: the state-dict keys of the network itself are those of
    :class:`CIFARResNet`; the mask values are ``pdd_masks.<group>.m``.

    ``group_widths`` builds the *pruned* network directly (no masks, fewer
    channels), so a checkpoint written by ``tools/model_converters/
    pdd_prune.py`` loads into it for fine-tuning and testing.

    Args: see :class:`PrunableMixin` (``depth``: a 3-stage depth, 8, 14,
    20, 32, 44, 56 or 110; other arguments of :class:`CIFARResNet`, e.g.
    ``widen``).
    """

    prunable_depths = THREE_STAGE_DEPTHS

    @property
    def output_group(self) -> str:
        """The group of the backbone's output (read by the head)."""
        return f'stage{len(self.res_layers)}'

    def _stem_in_stage1(self) -> bool:
        return getattr(self, self.res_layers[0])[0].downsample is None

    def _blocks(self, stage: int) -> List[BasicBlock]:
        return list(getattr(self, self.res_layers[stage - 1]))

    def channel_groups(self) -> Dict[str, ChannelGroup]:
        """The stage and block channel groups (names relative to the
        backbone; the head's ``fc`` reads :attr:`output_group`)."""
        groups = OrderedDict()
        num_stages = len(self.res_layers)
        for s in range(1, num_stages + 1):
            layer = self.res_layers[s - 1]
            producers, consumers = [], []
            if s == 1 and self._stem_in_stage1():
                producers.append(('conv1', self.norm1_name))
            for j, block in enumerate(self._blocks(s)):
                producers.append((f'{layer}.{j}.conv2',
                                  f'{layer}.{j}.{block.norm2_name}'))
                if block.downsample is not None:
                    producers.append((f'{layer}.{j}.downsample.0',
                                      f'{layer}.{j}.downsample.1'))
                if j > 0 or (s == 1 and self._stem_in_stage1()):
                    consumers.append(f'{layer}.{j}.conv1')
            if s < num_stages:
                nxt = self.res_layers[s]
                consumers.append(f'{nxt}.0.conv1')
                if self._blocks(s + 1)[0].downsample is not None:
                    consumers.append(f'{nxt}.0.downsample.0')
            groups[f'stage{s}'] = ChannelGroup(tuple(producers),
                                               tuple(consumers))
        for s in range(1, num_stages + 1):
            layer = self.res_layers[s - 1]
            for j, block in enumerate(self._blocks(s)):
                groups[f'{layer}_{j}'] = ChannelGroup(
                    ((f'{layer}.{j}.conv1', f'{layer}.{j}.{block.norm1_name}'),
                     ), (f'{layer}.{j}.conv2', ))
        return groups

    def install_masks(self) -> None:
        """Register the masks as forward hooks (see the class docstring)."""
        for s in range(1, len(self.res_layers) + 1):
            stage_mask = self.pdd_masks[f'stage{s}']
            if s == 1 and self._stem_in_stage1():
                self.relu.register_forward_hook(stage_mask.forward_hook)
            layer = self.res_layers[s - 1]
            for j, block in enumerate(self._blocks(s)):
                block.register_forward_hook(stage_mask.forward_hook)
                block.conv2.register_forward_pre_hook(
                    self.pdd_masks[f'{layer}_{j}'].forward_pre_hook)
