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
"""
import argparse
import os
import os.path as osp
import sys
from collections import Counter, OrderedDict
from typing import Dict, Tuple

# Run from a clone without installing: put the repository root on sys.path.
_REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isdir(osp.join(_REPO_ROOT, 'mmdccd')) and _REPO_ROOT not in sys.path:
    sys.path.insert(0, _REPO_ROOT)

import torch  # noqa: E402

from mmdccd.utils.checkpoint import load_checkpoint_file  # noqa: E402

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
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    # weights_only=True; a legacy pickle needs MMDCCD_ALLOW_PICKLE=1
    checkpoint = load_checkpoint_file(args.src, map_location='cpu')
    state_dict = checkpoint.get('state_dict', checkpoint)
    try:
        student, dropped = extract_student(state_dict)
    except ValueError as error:
        sys.exit(f'extract_student.py: {args.src}: {error}')

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
