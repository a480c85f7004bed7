"""Turn a PDD-masked classifier into a smaller dense one."""
import copy
from typing import Dict, Tuple

import torch.nn as nn
from mmpretrain.registry import MODELS

from .approx_sign import ChannelMask
from .channel_slicing import prune_channel_groups, slice_linear
from .complexity import MASK_KEY


def kept_channels(backbone: nn.Module) -> Dict[str, 'torch.Tensor']:
    """Indices of the open channels (gate 1, ``m >= 0``) of every group."""
    masks = getattr(backbone, MASK_KEY, None)
    if masks is None:
        raise ValueError(
            f'{type(backbone).__name__} has no PDD masks; expected a '
            'Prunable* backbone (PrunableCIFARResNet, PrunableCIFARVGG, '
            'PrunablePDDCIFARResNet, PrunablePDDCIFARVGG) built with '
            'use_masks=True.')
    return {
        name: mask.kept_channels()
        for name, mask in masks.items() if isinstance(mask, ChannelMask)
    }


def prune_classifier(classifier: nn.Module,
                     classifier_cfg: dict) -> Tuple[nn.Module, Dict, dict]:
    """Remove the closed channels of a PDD-masked ``ImageClassifier``.

    The layers are sliced (see :mod:`.channel_slicing`) on a copy; then the
    pruned network is *rebuilt from its config* (the backbone with
    ``group_widths`` and no masks, the head with the kept input width) and
    the sliced weights are loaded into it with ``strict=True``. In eval mode
    its outputs equal those of the masked network.

    Args:
        classifier (nn.Module): ImageClassifier with a Prunable* backbone.
            When the backbone's ``output_group`` is not None (its output
            width is pruned), a ``GlobalAveragePooling`` neck and a head with
            an ``fc`` layer.
        classifier_cfg (dict): The config it was built from.

    Returns:
        tuple: the pruned classifier, the kept widths of every group, and
        the pruned classifier's config.
    """
    output_group = classifier.backbone.output_group
    neck = getattr(classifier, 'neck', None)
    if output_group is not None and (
            type(neck).__name__ != 'GlobalAveragePooling'
            or not hasattr(classifier.head, 'fc')):
        raise ValueError(
            'prune_classifier expects backbone -> GlobalAveragePooling -> '
            f'head with an fc layer, got neck {type(neck).__name__} and head '
            f'{type(classifier.head).__name__}.')
    keep = kept_channels(classifier.backbone)
    sliced = copy.deepcopy(classifier)
    prune_channel_groups(sliced.backbone, sliced.backbone.channel_groups(),
                         keep)
    widths = {name: len(idx) for name, idx in keep.items()}

    pruned_cfg = copy.deepcopy(dict(classifier_cfg))
    pruned_cfg['backbone'] = dict(
        pruned_cfg['backbone'], use_masks=False, group_widths=widths)
    if output_group is not None:
        sliced.head.fc = slice_linear(sliced.head.fc, keep[output_group])
        pruned_cfg['head'] = dict(
            pruned_cfg['head'], in_channels=widths[output_group])
    pruned = MODELS.build(pruned_cfg)
    state = {
        key: value
        for key, value in sliced.state_dict().items()
        if MASK_KEY not in key.split('.')
    }
    pruned.load_state_dict(state, strict=True)
    return pruned, widths, pruned_cfg
