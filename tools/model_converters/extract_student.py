#!/usr/bin/env python
"""Extract the student from a distillation checkpoint.

mmrazor's distillation algorithms (``SingleTeacherDistill``, and mmdccd's
``DCCD`` built on it) save the student under ``architecture.*``, the teacher
under ``teacher.*`` and connectors under ``distiller.*``. This tool keeps the
student only, with the ``architecture.`` prefix removed, so that the result
loads into the plain mmpretrain model of the student config::

    python tools/model_converters/extract_student.py work_dirs/dccd/iter_4.pth \
        student.pth
    python tools/test.py STUDENT_CONFIG student.pth

The output holds tensors and plain ``meta`` values only (no optimizer, no
message hub), so it also loads with ``torch.load(..., weights_only=True)``.

With ``--onnx`` the student classifier of ``--config`` is also exported to
one self-contained ONNX file (``pip install 'mmdccd[onnx]'``; input: images
normalised as the student's data preprocessor does, dynamic batch; output:
logits; the image size is ``--input-size``, else the test pipeline's, else
the size the student declares). Its outputs are checked against PyTorch's
on random input (max |difference| <= ``--onnx-rtol`` x max(1, max |logit|),
see :mod:`mmdccd.deploy.onnx_export`) before anything is written: a refused
export leaves neither the ``.onnx`` nor the ``.pth``::

    python tools/model_converters/extract_student.py work_dirs/dccd/iter_4.pth \
        student.pth --onnx student.onnx --config CONFIG
"""
import argparse
import os
import os.path as osp
import sys
from collections import Counter, OrderedDict
from typing import Dict, Tuple

import torch

from mmdccd.deploy.onnx_export import ONNX_RTOL
from mmdccd.utils.checkpoint import load_checkpoint_file

STUDENT_PREFIX = 'architecture.'
# the algorithm's own data preprocessor is the student's, shared
PREPROCESSOR_PREFIX = 'data_preprocessor.'
# plain, weights-only-safe meta entries worth keeping
META_KEYS = ('epoch', 'iter', 'dataset_meta', 'mmengine_version', 'seed')


def extract_student(
    state_dict: Dict[str, torch.Tensor]
) -> Tuple['OrderedDict[str, torch.Tensor]', Counter]:
    """Split a distillation state dict into the student's weights.

    Args:
        state_dict (dict[str, Tensor]): State dict of an mmrazor
            distillation algorithm.

    Returns:
        tuple[OrderedDict[str, Tensor], Counter]: The student's state dict
        (``architecture.`` removed) and the number of dropped tensors by
        top-level prefix (``teacher``, ``distiller``, ...).

    Raises:
        ValueError: If no key starts with ``architecture.``.
    """
    if not any(key.startswith(STUDENT_PREFIX) for key in state_dict):
        prefixes = sorted({key.split('.', 1)[0] for key in state_dict})
        raise ValueError(
            'expected a distillation checkpoint whose student weights start '
            f'with {STUDENT_PREFIX!r}, found top-level prefixes {prefixes}. '
            'A plain classifier checkpoint needs no extraction: evaluate it '
            'with tools/test.py directly.')
    student = OrderedDict()
    for key, value in state_dict.items():
        if key.startswith(STUDENT_PREFIX):
            student[key[len(STUDENT_PREFIX):]] = value
    dropped = Counter()
    for key in state_dict:
        if key.startswith(STUDENT_PREFIX):
            continue
        if key.startswith(PREPROCESSOR_PREFIX) and key not in student:
            student[key] = state_dict[key]
            continue
        dropped[key.split('.', 1)[0]] += 1
    return student, dropped


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Keep the student of an mmrazor distillation checkpoint '
        '(architecture.* keys) as a plain mmpretrain checkpoint.')
    parser.add_argument('src', help='distillation checkpoint (trusted file)')
    parser.add_argument('dst', help='where to write the student checkpoint')
    parser.add_argument(
        '--onnx', help='also export the student classifier to this .onnx')
    parser.add_argument(
        '--config', help='the config the checkpoint was trained with '
        '(needed by --onnx)')
    parser.add_argument(
        '--input-size',
        type=int,
        nargs='+',
        help='H or H W of the ONNX input (default: the size of the config\'s '
        'test pipeline, else the size the student declares)')
    parser.add_argument(
        '--onnx-rtol',
        type=float,
        default=ONNX_RTOL,
        help='largest accepted |ONNX - PyTorch| logit difference, relative '
        f'to max(1, max |logit|) (default {ONNX_RTOL:g})')
    args = parser.parse_args(argv)
    if args.onnx and not args.config:
        parser.error('--onnx needs --config (the student\'s architecture)')
    return args


def write_onnx(args: argparse.Namespace, student: Dict[str, torch.Tensor]
               ) -> None:
    """Export the ONNX student and check it (see mmdccd.deploy); exit with
    the reason, having written nothing, when that fails."""
    from mmdccd.deploy import (build_student, export_and_check,
                               pipeline_input_size, require_onnx)
    from mmdccd.utils.launch import load_config_file
    try:
        require_onnx()
        cfg = load_config_file(args.config)
        model = build_student(cfg, student)
        size = args.input_size or pipeline_input_size(cfg)
        error, tolerance = export_and_check(model, args.onnx, size,
                                            rtol=args.onnx_rtol)
    except (ImportError, ValueError, FileNotFoundError) as exc:
        sys.exit(f'extract_student.py: {args.onnx}: {exc}')
    data = f' and {osp.abspath(args.onnx)}.data' if osp.exists(
        args.onnx + '.data') else ''
    print(f'Wrote ONNX student to {osp.abspath(args.onnx)}{data} (max |ONNX '
          f'- PyTorch| logit difference on random input: {error:.2g}, '
          f'tolerance {tolerance:.2g})')


def main(argv=None) -> None:
    args = parse_args(argv)
    # weights_only=True; a legacy pickle needs MMDCCD_ALLOW_PICKLE=1
    checkpoint = load_checkpoint_file(args.src, map_location='cpu')
    state_dict = checkpoint.get('state_dict', checkpoint)
    try:
        student, dropped = extract_student(state_dict)
    except ValueError as error:
        sys.exit(f'extract_student.py: {args.src}: {error}')
    # the ONNX export and its check first: a refused one writes nothing
    if args.onnx:
        write_onnx(args, student)

    meta = {
        key: value
        for key, value in checkpoint.get('meta', {}).items()
        if key in META_KEYS
    }
    meta['extracted_from'] = osp.abspath(args.src)
    dst_dir = osp.dirname(osp.abspath(args.dst))
    os.makedirs(dst_dir, exist_ok=True)
    torch.save(dict(meta=meta, state_dict=student), args.dst)

    detail = ', '.join(f'{name}: {n}' for name, n in sorted(dropped.items()))
    print(f'Kept {len(student)} student tensors, dropped '
          f'{sum(dropped.values())} ({detail or "none"}).')
    print(f'Wrote student checkpoint to {osp.abspath(args.dst)}')


if __name__ == '__main__':
    main()
