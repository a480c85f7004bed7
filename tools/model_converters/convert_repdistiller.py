#!/usr/bin/env python
"""Convert a CRD-benchmark (RepDistiller) checkpoint to an mmdccd checkpoint.

RepDistiller's ``train_teacher.py`` saves ``{'epoch', 'model', 'best_acc',
'optimizer'}`` with ``model`` a plain ``state_dict`` (a bare state dict is
accepted too). The output is an mmengine checkpoint
``{'state_dict': {'backbone.*', 'head.fc.*'}, 'meta': {...}}`` that loads
with ``strict=True`` into the ``ImageClassifier`` of
:func:`mmdccd.models.backbones.cifar_classifier_cfg` (e.g. as a DCCD
``teacher_ckpt``). The key renames per family are documented in
``mmdccd/models/backbones/repdistiller_keys.py``.

A file that does not map completely onto the target model (a missing,
unexpected or wrongly shaped tensor) is refused: the tool lists the keys and
exits with status 1, writing nothing.

Usage::

    python tools/model_converters/convert_repdistiller.py \\
        save/models/resnet32x4_vanilla/ckpt_epoch_240.pth \\
        checkpoints/resnet32x4_repdistiller.pth --model resnet32x4
"""
import argparse
import os
import os.path as osp
import sys
from typing import Dict, List, Optional, Tuple

import mmdccd  # noqa: F401  (applies mmdccd.compat, registers parts)
import torch
from mmpretrain.registry import MODELS

from mmdccd.models.backbones import (REPDISTILLER_ARCHS,
                                     cifar_classifier_cfg,
                                     convert_repdistiller_state_dict,
                                     find_key_mismatches)


class ConversionError(RuntimeError):
    """The source file cannot be mapped completely onto the target model."""


def load_repdistiller_checkpoint(
        path: str,
        trust: bool = False) -> Tuple[Dict[str, torch.Tensor], dict]:
    """Read a RepDistiller checkpoint.

    Args:
        path (str): ``{'model': state_dict, ...}`` or a bare state dict.
        trust (bool): Unpickle arbitrary objects (``weights_only=False``).
            Only for files you trust. Defaults to False.

    Returns:
        tuple[dict, dict]: The state dict, and ``epoch`` / ``best_acc`` of
        the file where present (for the output's ``meta``).
    """
    try:
        checkpoint = torch.load(
            path, map_location='cpu', weights_only=not trust)
    except Exception as e:  # noqa: BLE001 (re-raised with advice)
        if trust:
            raise
        raise ConversionError(
            f'could not read {path} with torch.load(weights_only=True): '
            f'{e}\nIf the file comes from a source you trust, rerun with '
            '--trust (unpickles arbitrary objects).') from e
    if not isinstance(checkpoint, dict):
        raise ConversionError(
            f'expected a dict in {path} ({{"model": state_dict}} or a state '
            f'dict), found {type(checkpoint).__name__}.')
    info = {}
    if isinstance(checkpoint.get('model'), dict):
        for key in ('epoch', 'best_acc'):
            value = checkpoint.get(key)
            if isinstance(value, torch.Tensor) and value.numel() == 1:
                value = value.item()
            if isinstance(value, (int, float)):
                info[key] = value
        checkpoint = checkpoint['model']
    not_tensors = [k for k, v in checkpoint.items()
                   if not isinstance(v, torch.Tensor)]
    if not_tensors:
        raise ConversionError(
            f'expected a state dict of tensors in {path} (or under its '
            f'"model" key), found non-tensor entries {not_tensors[:5]}.')
    return checkpoint, info


def convert(state_dict: Dict[str, torch.Tensor],
            name: str) -> Tuple[Dict[str, torch.Tensor], int, List[str]]:
    """Convert and check a RepDistiller state dict against our model.

    Args:
        state_dict (dict[str, torch.Tensor]): RepDistiller weights.
        name (str): RepDistiller model name.

    Returns:
        tuple: The converted state dict, the number of classes of its head,
        and notes for the user.

    Raises:
        ConversionError: With the missing, unexpected and wrongly shaped
            keys, if the file does not map completely.
    """
    converted = convert_repdistiller_state_dict(name, state_dict)
    head = converted.get('head.fc.weight')
    num_classes = head.shape[0] if head is not None and head.dim() == 2 \
        else 100
    model = MODELS.build(cifar_classifier_cfg(name, num_classes))
    expected = model.state_dict()
    mismatches = find_key_mismatches(converted, expected)
    notes = []
    # Checkpoints written before PyTorch 0.4.1 have no BN step counters;
    # they do not change the outputs, so they are filled with 0.
    counters = [k for k in mismatches.missing
                if k.endswith('.num_batches_tracked')]
    if counters and len(counters) == len(mismatches.missing):
        for key in counters:
            converted[key] = torch.zeros_like(expected[key])
        notes.append(f'filled {len(counters)} missing BN '
                     'num_batches_tracked counters with 0')
        mismatches = find_key_mismatches(converted, expected)
    if mismatches:
        raise ConversionError(
            f'the file does not map completely onto mmdccd\'s {name} '
            f'({cifar_classifier_cfg(name)["backbone"]}, {num_classes} '
            f'classes):\n{mismatches.report()}\nCheck that --model names '
            'the network the file was trained with.')
    ordered = {k: converted[k] for k in expected}
    return ordered, num_classes, notes


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse the command line (``argv`` defaults to ``sys.argv[1:]``)."""
    parser = argparse.ArgumentParser(
        description='Convert a RepDistiller (CRD benchmark) checkpoint to an '
        'mmdccd ImageClassifier checkpoint.')
    parser.add_argument('src', help='RepDistiller checkpoint (.pth)')
    parser.add_argument('dst', help='output checkpoint path')
    parser.add_argument(
        '--model',
        required=True,
        choices=list(REPDISTILLER_ARCHS),
        help='RepDistiller model name (its --model argument)')
    parser.add_argument(
        '--trust',
        action='store_true',
        help='load with torch.load(weights_only=False); only for trusted '
        'files')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    """Run the conversion; returns the exit status (0 ok, 1 refused)."""
    args = parse_args(argv)
    try:
        state_dict, info = load_repdistiller_checkpoint(args.src, args.trust)
        converted, num_classes, notes = convert(state_dict, args.model)
    except ConversionError as e:
        print(f'convert_repdistiller: refused {args.src}: {e}',
              file=sys.stderr)
        return 1
    meta = dict(
        source='RepDistiller',
        model=args.model,
        src=osp.abspath(args.src),
        cfg=cifar_classifier_cfg(args.model, num_classes),
        **info)
    os.makedirs(osp.dirname(osp.abspath(args.dst)), exist_ok=True)
    torch.save({'state_dict': converted, 'meta': meta}, args.dst)
    for note in notes:
        print(f'note: {note}')
    num_values = sum(v.numel() for k, v in converted.items()
                     if not k.endswith('num_batches_tracked'))
    print(f'Converted {args.model} ({num_classes} classes, {len(converted)} '
          f'tensors, {num_values:,} values) from {args.src}; saved to '
          f'{args.dst}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
