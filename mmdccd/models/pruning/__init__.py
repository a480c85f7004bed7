"""PDD: pruning the student during distillation (Cognitive Computation
2024): the ApproxSign channel masks, maskable CIFAR backbones, the pruner
that removes closed channels, and parameter / FLOP counts."""
from .approx_sign import ApproxSign, ChannelMask, approx_sign_gate
from .channel_slicing import (ChannelGroup, prune_channel_groups, slice_bn,
                              slice_conv, slice_linear)
from .complexity import complexity_report, count_flops, count_parameters
from .pdd_pruner import kept_channels, prune_classifier
from .prunable_resnet import PrunableCIFARResNet
from .prunable_vgg import PrunableCIFARVGG

__all__ = [
    'ApproxSign', 'ChannelGroup', 'ChannelMask', 'PrunableCIFARResNet',
    'PrunableCIFARVGG', 'approx_sign_gate', 'complexity_report',
    'count_flops', 'count_parameters', 'kept_channels', 'prune_channel_groups',
    'prune_classifier', 'slice_bn', 'slice_conv', 'slice_linear'
]
