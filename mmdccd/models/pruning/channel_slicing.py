"""Remove channels from a network for real: slice conv / BN / linear layers.

A *channel group* is a set of channels that must be kept or removed
together: the output channels of its ``producers`` (a conv and the BN that
follows it) and the input channels of its ``consumers`` (the convs, linear
layers or parameter-free shortcuts that read them). Removing channel ``c`` of
a group removes output filter ``c`` of every producer conv, entry ``c`` of
every producer BN (weight, bias, running mean and variance), output ``c`` of
every ``placements`` shortcut, and input slice ``c`` of every consumer.
"""
from typing import Dict, NamedTuple, Optional, Sequence, Tuple

import torch
import torch.nn as nn

from ..backbones.pdd_resnet import ChannelPlacementShortcut


class ChannelGroup(NamedTuple):
    """Channels that are pruned together.

    Attributes:
        producers (tuple[tuple[str, str]]): ``(conv name, BN name)`` pairs
            whose output channels are the group's channels.
        consumers (tuple[str]): Conv / linear layers or
            :class:`ChannelPlacementShortcut` s reading the channels.
        placements (tuple[str]): :class:`ChannelPlacementShortcut` s whose
            outputs are the group's channels (added to the producers').
            Defaults to ``()``.
    """
    producers: Tuple[Tuple[str, str], ...]
    consumers: Tuple[str, ...]
    placements: Tuple[str, ...] = ()


def slice_conv(conv: nn.Conv2d,
               out_idx: Optional[torch.Tensor] = None,
               in_idx: Optional[torch.Tensor] = None) -> nn.Conv2d:
    """A new ``Conv2d`` holding the kept output filters / input channels."""
    if conv.groups != 1:
        raise ValueError(f'slice_conv supports groups=1 convolutions only, '
                         f'got groups={conv.groups} in {conv}.')
    weight = conv.weight.detach()
    if out_idx is not None:
        weight = weight[out_idx]
    if in_idx is not None:
        weight = weight[:, in_idx]
    new = nn.Conv2d(
        weight.shape[1],
        weight.shape[0],
        conv.kernel_size,
        stride=conv.stride,
        padding=conv.padding,
        dilation=conv.dilation,
        bias=conv.bias is not None,
        padding_mode=conv.padding_mode).to(weight.device, weight.dtype)
    new.weight.data.copy_(weight)
    if conv.bias is not None:
        bias = conv.bias.detach()
        new.bias.data.copy_(bias if out_idx is None else bias[out_idx])
    return new


def slice_bn(bn: nn.BatchNorm2d, idx: torch.Tensor) -> nn.BatchNorm2d:
    """A new ``BatchNorm2d`` with the kept channels' affine parameters and
    running statistics."""
    new = nn.BatchNorm2d(
        len(idx), eps=bn.eps, momentum=bn.momentum, affine=bn.affine,
        track_running_stats=bn.track_running_stats)
    new = new.to(bn.weight.device if bn.affine else bn.running_mean.device)
    if bn.affine:
        new.weight.data.copy_(bn.weight.detach()[idx])
        new.bias.data.copy_(bn.bias.detach()[idx])
    if bn.track_running_stats:
        new.running_mean.copy_(bn.running_mean[idx])
        new.running_var.copy_(bn.running_var[idx])
        new.num_batches_tracked.copy_(bn.num_batches_tracked)
    return new


def slice_linear(fc: nn.Linear, in_idx: torch.Tensor) -> nn.Linear:
    """A new ``Linear`` reading only the kept input features."""
    new = nn.Linear(len(in_idx), fc.out_features, bias=fc.bias is not None)
    new = new.to(fc.weight.device, fc.weight.dtype)
    new.weight.data.copy_(fc.weight.detach()[:, in_idx])
    if fc.bias is not None:
        new.bias.data.copy_(fc.bias.detach())
    return new


def slice_placement(
        shortcut: ChannelPlacementShortcut,
        out_idx: Optional[torch.Tensor] = None,
        in_idx: Optional[torch.Tensor] = None) -> ChannelPlacementShortcut:
    """A new shortcut with the kept outputs and inputs: each kept output
    still copies the input channel it copied before if that one is kept, and
    is zero otherwise (exact, since a removed input channel was zero)."""
    source = shortcut.source
    in_channels = shortcut.in_channels
    if out_idx is not None:
        source = source[out_idx]
    if in_idx is not None:
        # old input index (or the zero index in_channels) -> new index
        remap = torch.full((in_channels + 1, ), len(in_idx), dtype=torch.long,
                           device=source.device)
        remap[in_idx] = torch.arange(len(in_idx), device=source.device)
        source, in_channels = remap[source], len(in_idx)
    new = ChannelPlacementShortcut(in_channels, len(source), shortcut.stride)
    new.source.copy_(source)
    return new.to(shortcut.source.device)


def prune_channel_groups(model: nn.Module, groups: Dict[str, ChannelGroup],
                         keep: Dict[str, torch.Tensor]) -> None:
    """Replace, in place, every layer touched by ``groups`` with a smaller
    one that holds only the kept channels.

    Args:
        model (nn.Module): Root module; layer names are relative to it.
        groups (dict[str, ChannelGroup]): The network's channel groups.
        keep (dict[str, torch.Tensor]): Sorted indices of the channels kept
            in each group; a group that is not listed keeps everything.
    """
    for name, idx in keep.items():
        if name not in groups:
            raise KeyError(f'unknown channel group {name!r}; the network has '
                           f'{sorted(groups)}.')
        if len(idx) == 0:
            raise ValueError(
                f'Channel group {name!r} keeps no channel (every gate is '
                '0): the layer would vanish. Train longer, or open one '
                'channel of it (set its mask value m >= 0) before pruning.')
    for name, idx in keep.items():
        idx = torch.as_tensor(idx, dtype=torch.long)
        for conv_name, bn_name in groups[name].producers:
            model.set_submodule(
                conv_name,
                slice_conv(model.get_submodule(conv_name), out_idx=idx))
            model.set_submodule(bn_name,
                                slice_bn(model.get_submodule(bn_name), idx))
        for shortcut_name in groups[name].placements:
            model.set_submodule(
                shortcut_name,
                slice_placement(
                    model.get_submodule(shortcut_name), out_idx=idx))
    for name, idx in keep.items():
        idx = torch.as_tensor(idx, dtype=torch.long)
        for layer_name in groups[name].consumers:
            layer = model.get_submodule(layer_name)
            if isinstance(layer, nn.Linear):
                new = slice_linear(layer, idx)
            elif isinstance(layer, ChannelPlacementShortcut):
                new = slice_placement(layer, in_idx=idx)
            else:
                new = slice_conv(layer, in_idx=idx)
            model.set_submodule(layer_name, new)


def widths_to_keep(widths: Dict[str, int]) -> Dict[str, Sequence[int]]:
    """Keep the first ``w`` channels of each group (to rebuild a pruned
    network from its widths before loading its weights)."""
    return {name: torch.arange(w) for name, w in widths.items()}

