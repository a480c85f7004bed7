"""Strict loading of a distillation teacher's checkpoint.

mmrazor 1.0.0 loads ``teacher_ckpt`` with mmengine's non-strict
``load_checkpoint``: a checkpoint of another architecture loads partly, with
one log line, and the student distils from a half-random teacher. Here
missing, unexpected or mis-shaped keys are an error unless partial loading
is asked for.
"""
import logging
import os.path as osp
import re
from typing import Dict, List, Sequence

import torch
from mmengine.logging import print_log
from mmengine.runner.checkpoint import CheckpointLoader
from torch import nn

#: Prefixes of a whole distillation checkpoint (mmrazor algorithms).
DISTILL_PREFIXES = ('architecture.', 'teacher.', 'distiller.')
#: Buffers that old checkpoints may lack and that carry no weights.
OPTIONAL_SUFFIXES = ('num_batches_tracked', )
HOW_TO_GET_A_TEACHER = (
    'Train the teacher with `python tools/train.py TEACHER_CONFIG` (its '
    'checkpoints go to work_dirs/<config name>/) or convert published '
    'weights with tools/model_converters/convert_repdistiller.py or '
    'torchvision2mmpretrain.py, then pass the file with '
    '`--cfg-options model.teacher_ckpt=PATH`.')


def _first(keys: Sequence[str], n: int = 5) -> str:
    shown = ', '.join(keys[:n])
    return f'{shown}, ... ({len(keys)} in all)' if len(keys) > n else shown


def _teacher_state_dict(checkpoint: dict, filename: str) -> Dict[str,
                                                                 torch.Tensor]:
    state_dict = checkpoint.get('state_dict', checkpoint)
    if not isinstance(state_dict, dict):
        raise ValueError(f'teacher checkpoint {filename}: expected a state '
                         f'dict, found {type(state_dict).__name__}.')
    state_dict = {re.sub(r'^module\.', '', k): v for k, v in state_dict.items()}
    if any(k.startswith(DISTILL_PREFIXES) for k in state_dict):
        raise ValueError(
            f'teacher checkpoint {filename} is a whole distillation '
            'checkpoint (keys architecture.*, teacher.*, distiller.*), not '
            'a classifier. To use its student as the teacher, extract it: '
            f'`python tools/model_converters/extract_student.py {filename} '
            'student.pth` and pass model.teacher_ckpt=student.pth.')
    return state_dict


def load_teacher_checkpoint(teacher: nn.Module,
                            filename: str,
                            strict: bool = True) -> None:
    """Load ``filename`` into ``teacher``, strictly by default.

    The file is read with ``weights_only=True`` (mmdccd.compat). A
    ``module.`` prefix (DDP) is removed; ``num_batches_tracked`` buffers may
    be missing.

    Args:
        teacher (nn.Module): The teacher classifier.
        filename (str): Its checkpoint: a state dict or ``{'state_dict':
            ...}`` with the classifier's own keys.
        strict (bool): Refuse missing, unexpected or mis-shaped keys. With
            False, the matching tensors load and the rest is logged as a
            warning (partial loading on purpose). Defaults to True.

    Raises:
        FileNotFoundError: ``filename`` does not exist (the message says how
            to train or convert a teacher).
        ValueError: The keys do not match (the message names the file, the
            first keys on each side and the likely fix).
    """
    if '://' not in filename and not osp.isfile(filename):
        raise FileNotFoundError(
            f'teacher checkpoint {filename} does not exist. '
            f'{HOW_TO_GET_A_TEACHER}')
    checkpoint = CheckpointLoader.load_checkpoint(filename, map_location='cpu')
    state_dict = _teacher_state_dict(checkpoint, filename)
    own = teacher.state_dict()
    missing: List[str] = [
        k for k in own
        if k not in state_dict and not k.endswith(OPTIONAL_SUFFIXES)
    ]
    unexpected = [k for k in state_dict if k not in own]
    mismatched = [
        f'{k} {tuple(state_dict[k].shape)} vs {tuple(own[k].shape)}'
        for k in own
        if k in state_dict and state_dict[k].shape != own[k].shape
    ]
    problems = []
    if missing:
        problems.append(f'missing in the file: {_first(missing)}')
    if unexpected:
        problems.append(f'unexpected in the file: {_first(unexpected)}')
    if mismatched:
        problems.append('shape (file vs teacher) differs: '
                        f'{_first(mismatched)}')
    if problems and strict:
        raise ValueError(
            f'teacher checkpoint {filename} does not match the teacher '
            f'{type(teacher).__name__} of the config: ' +
            '; '.join(problems) + '. Is it the checkpoint of this teacher '
            'config (architecture, depth, width, number of classes)? A '
            'published checkpoint needs converting first (tools/'
            'model_converters/); pass the right file with `--cfg-options '
            'model.teacher_ckpt=PATH`. To load the matching part on purpose, '
            'set model.teacher_ckpt_strict=False.')
    if problems:
        print_log(
            f'teacher checkpoint {filename} loaded partly '
            '(teacher_ckpt_strict=False): ' + '; '.join(problems),
            logger='current',
            level=logging.WARNING)
    loadable = {
        k: v
        for k, v in state_dict.items()
        if k in own and v.shape == own[k].shape
    }
    teacher.load_state_dict(loadable, strict=False)
    print_log(
        f'teacher checkpoint {filename}: {len(loadable)} tensors loaded',
        logger='current')
