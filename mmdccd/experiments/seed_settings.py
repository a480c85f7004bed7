"""The settings a seed's run trained with, so that runs of different
settings are never mixed.

:mod:`mmdccd.experiments.seeds` writes a record, ``seed_settings.json``, to
every seed's work dir before it starts the run, and the resolved config
beside it (``seed_config.py``, the config file with the ``--cfg-options``
merged, without the seed). A seed counts as finished only for the same
settings (:func:`settings_differences`): the resolved config (its SHA-256),
the ``tools/train.py`` options (``--amp``...), the processes a run spans
(with the batch size they set the total batch) and the teacher checkpoint's
content.
:mod:`mmdccd.experiments.results` prints what matters of them
(:func:`describe_settings`) and refuses to average different ones.
"""
import argparse
import copy
import hashlib
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence

#: The settings record of a seed's work dir.
SETTINGS_RECORD = 'seed_settings.json'
#: The resolved config a seed's run trained with.
SETTINGS_CONFIG = 'seed_config.py'
#: The fields of a record that make two runs comparable.
COMPARED = ('config_sha256', 'train_args', 'processes_per_run',
            'teacher_ckpt_sha256')


def parse_cfg_options(cfg_options: Sequence[str]) -> dict:
    """``key=value`` strings parsed as ``tools/train.py --cfg-options``
    parses them (mmengine's ``DictAction``)."""
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser()
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    if not cfg_options:
        return {}
    return parser.parse_args(['--cfg-options', *cfg_options]).cfg_options


def file_sha256(path: str) -> str:
    """The SHA-256 of a file's bytes (hex)."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def _schedule(cfg) -> Dict[str, Optional[int]]:
    """``unit`` (``'epochs'`` or ``'iterations'``) and ``length`` of a
    config's training loop."""
    train_cfg = cfg.get('train_cfg') or {}
    if train_cfg.get('max_epochs') is not None:
        return dict(unit='epochs', length=train_cfg['max_epochs'])
    return dict(unit='iterations', length=train_cfg.get('max_iters'))


def seed_settings(config: str,
                  cfg_options: Sequence[str] = (),
                  train_args: Sequence[str] = (),
                  processes_per_run: int = 1) -> dict:
    """The settings record of runs of ``config`` (any seed).

    Args:
        config (str): The config file.
        cfg_options (Sequence[str]): The ``key=value`` overrides (not the
            seed). Defaults to ().
        train_args (Sequence[str]): More ``tools/train.py`` options.
            Defaults to ().
        processes_per_run (int): Training processes of one run (its GPUs,
            or 1 on a CPU). Defaults to 1.

    Returns:
        dict: ``config``, ``cfg_options``, ``train_args``,
        ``processes_per_run``,
        ``config_sha256`` (of the resolved config), ``schedule`` (the
        resolved ``unit`` and ``length``, and ``config_length``, the config
        file's own), ``teacher_ckpt`` and ``teacher_ckpt_sha256`` (None
        without a teacher checkpoint or where the file does not exist), and
        ``resolved_config`` (its text, written to :data:`SETTINGS_CONFIG`).
    """
    from mmengine.config import Config
    file_cfg = Config.fromfile(config)
    cfg = copy.deepcopy(file_cfg)
    cfg.merge_from_dict(parse_cfg_options(cfg_options))
    resolved = json.dumps(cfg.to_dict(), sort_keys=True, default=repr)
    schedule = _schedule(cfg)
    schedule['config_length'] = _schedule(file_cfg)['length']
    teacher = (cfg.get('model') or {}).get('teacher_ckpt')
    teacher_sha = file_sha256(teacher) if teacher and osp.isfile(
        teacher) else None
    return dict(
        config=config,
        cfg_options=list(cfg_options),
        train_args=list(train_args),
        processes_per_run=processes_per_run,
        config_sha256=hashlib.sha256(resolved.encode()).hexdigest(),
        schedule=schedule,
        teacher_ckpt=teacher,
        teacher_ckpt_sha256=teacher_sha,
        resolved_config=_config_text(cfg, resolved))


def _config_text(cfg, resolved: str) -> str:
    """The config as Python (mmengine's ``pretty_text``), or as JSON where
    it cannot be formatted."""
    try:
        return cfg.pretty_text
    except Exception:  # yapf fails on some values; the JSON always works
        return resolved


def write_settings(work_dir: str, settings: dict) -> None:
    """Write :data:`SETTINGS_RECORD` and :data:`SETTINGS_CONFIG`."""
    record = {k: v for k, v in settings.items() if k != 'resolved_config'}
    with open(osp.join(work_dir, SETTINGS_RECORD), 'w') as f:
        json.dump(record, f, indent=1)
    with open(osp.join(work_dir, SETTINGS_CONFIG), 'w') as f:
        f.write(settings.get('resolved_config', ''))


def read_settings(work_dir: str) -> Optional[dict]:
    """The settings record of a seed's work dir, or None where there is
    none (a run started before settings were recorded)."""
    path = osp.join(work_dir, SETTINGS_RECORD)
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)


def settings_differences(recorded: dict, wanted: dict) -> List[str]:
    """What differs between two settings records, one line a field.

    Returns:
        list[str]: Empty where the runs are comparable.
    """
    lines = []
    for key in COMPARED:
        if recorded.get(key) == wanted.get(key):
            continue
        if key == 'config_sha256':
            lines.append(
                f'resolved config: {recorded.get("config")} with '
                f'{recorded.get("cfg_options")} vs {wanted.get("config")} '
                f'with {wanted.get("cfg_options")}')
        elif key == 'teacher_ckpt_sha256':
            lines.append(f'teacher checkpoint content: '
                         f'{recorded.get("teacher_ckpt")} '
                         f'({str(recorded.get(key))[:12]}) vs '
                         f'{wanted.get("teacher_ckpt")} '
                         f'({str(wanted.get(key))[:12]})')
        else:
            lines.append(f'{key}: {recorded.get(key)} vs {wanted.get(key)}')
    return lines


def describe_settings(settings: dict) -> str:
    """What matters of a settings record, in one line: the config and its
    overrides, the schedule against the config file's, the teacher."""
    schedule = settings.get('schedule') or {}
    unit = schedule.get('unit', 'epochs')
    length, own = schedule.get('length'), schedule.get('config_length')
    text = f'{settings.get("config")}'
    if settings.get('cfg_options'):
        text += f' with {" ".join(settings["cfg_options"])}'
    if settings.get('train_args'):
        text += f', tools/train.py {" ".join(settings["train_args"])}'
    text += f'; {length} {unit}'
    text += (' as in the config' if length == own else
             f' (the config says {own})')
    teacher = settings.get('teacher_ckpt')
    if teacher:
        sha = settings.get('teacher_ckpt_sha256')
        text += (f'; teacher {teacher} (sha256 {sha[:12]})' if sha else
                 f'; teacher {teacher} (missing when recorded)')
    return text
