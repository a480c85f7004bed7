"""The student classifier of a config, with extracted weights loaded."""
import copy
from typing import Dict, Optional, Tuple

import torch
from mmengine.config import Config
from torch import nn

#: Keys of an extracted student that belong to no classifier parameter.
PREPROCESSOR_PREFIX = 'data_preprocessor.'
#: Test-pipeline transforms that make every image one size, and the
#: argument that holds it (mmcv's order: an int, or ``(w, h)``).
FIXED_SIZE_TRANSFORMS = {
    'CenterCrop': 'crop_size',
    'Resize': 'scale',
    'RandomResizedCrop': 'scale',
    'RandomCrop': 'crop_size',
}


def pipeline_input_size(cfg: Config) -> Optional[Tuple[int, int]]:
    """The image size ``(H, W)`` the test pipeline of ``cfg`` gives the
    network: that of its last transform to a fixed size (``CenterCrop``,
    ``Resize``, ...), or None when it has none or a later transform changes
    the size again (``ResizeEdge``, which fixes one edge only).

    Args:
        cfg (Config): A config with ``test_dataloader.dataset.pipeline``.

    Returns:
        tuple[int, int] | None: ``(H, W)``.
    """
    pipeline = cfg.get('test_dataloader', {}).get('dataset', {}).get(
        'pipeline', [])
    size = None
    for transform in pipeline:
        kind = str(transform.get('type', '')).split('.')[-1]
        if kind in FIXED_SIZE_TRANSFORMS:
            value = transform.get(FIXED_SIZE_TRANSFORMS[kind])
            if isinstance(value, int):
                size = (value, value)
            elif isinstance(value, (tuple, list)) and len(value) == 2:
                size = (int(value[1]), int(value[0]))  # mmcv: (w, h)
            else:
                size = None
        elif 'Resize' in kind or 'Crop' in kind:
            size = None
    return size


def build_student(cfg: Config, state_dict: Dict[str, torch.Tensor]
                  ) -> nn.Module:
    """Build the student of ``cfg`` (``model.architecture`` of a
    distillation config, else ``model``) and load ``state_dict`` strictly.

    Args:
        cfg (Config): The distillation (or student) config.
        state_dict (dict[str, Tensor]): The student's weights (the
            ``architecture.`` prefix already removed).

    Returns:
        nn.Module: The student in eval mode.

    Raises:
        ValueError: If the weights do not fit the config's student.
    """
    from mmengine.registry import DefaultScope
    from mmrazor.registry import MODELS
    model_cfg = copy.deepcopy(cfg.model)
    student_cfg = model_cfg.get('architecture', model_cfg)
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope')):
        student = MODELS.build(student_cfg)
    weights = {
        k: v
        for k, v in state_dict.items() if not k.startswith(PREPROCESSOR_PREFIX)
    }
    result = student.load_state_dict(weights, strict=False)
    if result.missing_keys or result.unexpected_keys:
        raise ValueError(
            f'the student weights do not fit the config\'s student '
            f'{type(student).__name__}: missing {result.missing_keys[:5]}, '
            f'unexpected {result.unexpected_keys[:5]}. Give the config the '
            'checkpoint was trained with.')
    student.eval()
    return student
