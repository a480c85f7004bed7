"""Every module of a config's networks with its shapes, and the recorders
DCCD uses (the logic of ``tools/analysis_tools/list_modules.py``)."""
import copy
from typing import Dict, List, Optional

from .feature_sources import (FeatureSources, SizeLike, declared_input_size,
                              find_feature_sources, trace_modules)

#: Algorithm arguments that name a network's sources, by side.
SOURCE_ARGS = ('feat_source', 'logits_source', 'feat_dim')


def config_networks(model_cfg: dict) -> Dict[str, dict]:
    """``{'student': ..., 'teacher': ...}`` of a distillation model config
    (``architecture``/``teacher``), or ``{'model': cfg}`` of a classifier."""
    if 'architecture' in model_cfg:
        networks = dict(student=model_cfg['architecture'])
        if model_cfg.get('teacher') is not None:
            networks['teacher'] = model_cfg['teacher']
        return networks
    return dict(model=model_cfg)


def network_report(model, side: str, given: Optional[dict] = None,
                   input_size: Optional[SizeLike] = None) -> List[str]:
    """Lines of one network: each module that ran once, ``name [Type] in
    (shape) -> out (shape)``, recorder modules marked, then the sources and
    the width DCCD uses.

    Args:
        model (nn.Module): The built network.
        side (str): ``'student'``, ``'teacher'`` or ``'model'``.
        given (dict, optional): ``feat_source``, ``logits_source``,
            ``feat_dim`` named by the config. Defaults to None.
        input_size (int | Sequence[int], optional): Input size of the dry
            forward. Defaults to None (the declared size, else 32 then 224).

    Returns:
        list[str]: The report's lines.
    """
    calls, _ = trace_modules(model, input_size)
    try:
        found: Optional[FeatureSources] = find_feature_sources(
            model, input_size=input_size, side=side, **(given or {}))
        error = None
    except ValueError as exc:
        found, error = None, str(exc)
    marks = {}
    if found is not None:
        marks.setdefault(found.feat_source, []).append('<- feature (input)')
        marks.setdefault(found.logits_source, []).append('<- logits (output)')
    lines = [f'== {side}: {type(model).__name__} '
             f'({len(calls)} modules ran once) ==']
    for call in calls:
        lines.append(f'{call}  {" ".join(marks.get(call.name, []))}'.rstrip())
    if found is None:
        lines.append(f'DCCD cannot record this {side}: {error}')
    else:
        lines.append(
            f'DCCD {side}: {side}_feat_source={found.feat_source!r} '
            f'{side}_logits_source={found.logits_source!r} '
            f'{side}_feat_dim={found.feat_dim}')
    return lines


def config_report(model_cfg: dict,
                  build,
                  input_size: Optional[SizeLike] = None) -> List[str]:
    """:func:`network_report` of each network of a model config. The
    student's dry forward runs at ``input_size`` (the data's); the
    teacher's at the config's ``teacher_input_size``, else at the size the
    teacher declares (a ViT's), else at ``input_size``.

    Args:
        model_cfg (dict): ``cfg.model``.
        build (Callable[[dict], nn.Module]): A registry's ``build``.
        input_size (int | Sequence[int], optional): Input size of the dry
            forwards. Defaults to None.

    Returns:
        list[str]: The report's lines.
    """
    lines = []
    for side, cfg in config_networks(model_cfg).items():
        given = {
            arg: model_cfg[f'{side}_{arg}']
            for arg in SOURCE_ARGS
            if model_cfg.get(f'{side}_{arg}') is not None
        }
        model = build(copy.deepcopy(cfg))
        size = input_size
        if side == 'teacher':
            size = model_cfg.get('teacher_input_size') or \
                declared_input_size(model) or input_size
        lines += network_report(model, side, given, size) + ['']
    return lines
