"""PDD: pruning the student during distillation (Cognitive Computation
2024): the ApproxSign channel masks, maskable CIFAR backbones, the pruner
that removes closed channels, and parameter / FLOP counts (two conventions).
"""
from .approx_sign import ApproxSign, ChannelMask, approx_sign_gate
from .channel_slicing import (ChannelGroup, prune_channel_groups, slice_bn,
                              slice_conv, slice_linear, slice_placement)
from .complexity import (FLOP_CONVENTIONS, complexity_report, count_flops,
                         count_parameters)
from .pdd_pruner import kept_channels, prune_classifier
from .prunable import PrunableMixin
from .prunable_pdd_resnet import PrunablePDDCIFARResNet
from .prunable_pdd_vgg import PrunablePDDCIFARVGG
from .prunable_resnet import PrunableCIFARResNet
from .prunable_vgg import PrunableCIFARVGG

__all__ = [
    'ApproxSign', 'ChannelGroup', 'ChannelMask', 'FLOP_CONVENTIONS',
    'PrunableCIFARResNet', 'PrunableCIFARVGG', 'PrunablePDDCIFARResNet',
    'PrunablePDDCIFARVGG', 'approx_sign_gate', 'complexity_report',
    'PrunableMixin', 'count_flops', 'count_parameters', 'kept_channels',
    'prune_channel_groups', 'prune_classifier', 'slice_bn', 'slice_conv',
    'slice_linear', 'slice_placement'
]
