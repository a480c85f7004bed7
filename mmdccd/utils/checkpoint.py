"""Checkpoint files that cannot run code and survive a crash mid-save.

Trust model (README, "Checkpoints and trust"):

- every checkpoint is read with ``torch.load(weights_only=True)``: teacher
  checkpoints, ``load_from``, ``tools/test.py CKPT``, the converters. A file
  that needs arbitrary unpickling is refused with an error naming it and the
  opt-in (``--allow-pickle`` on the tools, or ``MMDCCD_ALLOW_PICKLE=1``);
- the one exception is ``--resume`` of the user's own run, which falls back
  to unpickling a legacy file with a warning (:func:`trusted_resume`);
- checkpoints written by mmdccd runs need no unpickling: mmengine's message
  hub (``HistoryBuffer``, numpy arrays and scalars) is stored in a plain form
  of tensors, numbers and strings (:func:`to_weights_only`) and restored on
  load (:func:`from_weights_only`).

Writing is crash-safe: a checkpoint goes to a temporary file that
:func:`os.replace` moves into place once complete, ``last_checkpoint`` is
replaced the same way, and old checkpoints are deleted only afterwards
(:func:`save_checkpoint_with_step`), the previous best checkpoint of
``save_best`` too (:func:`keep_old_best_until_saved`). Auto-resume takes the newest complete
checkpoint (:func:`find_latest_loadable_checkpoint`).
"""
import argparse
import contextvars
import copy
import functools
import glob
import io
import os
import os.path as osp
import pickle
import warnings
import zipfile
from contextlib import contextmanager
from typing import Any, Callable, Iterator, List, Optional, Union

import numpy as np
import torch

#: Environment variable that allows unpickling legacy checkpoints.
ALLOW_PICKLE_ENV = 'MMDCCD_ALLOW_PICKLE'
_HISTORY_BUFFER = '__mmengine_history_buffer__'
_NDARRAY = '__numpy_ndarray__'
_resuming = contextvars.ContextVar('mmdccd_trusted_resume', default=False)

MapLocation = Union[str, torch.device, Callable, None]


class UntrustedCheckpointError(pickle.UnpicklingError):
    """A checkpoint needs arbitrary unpickling and no opt-in was given."""


class _AllowPickle(argparse.Action):

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, True)
        os.environ[ALLOW_PICKLE_ENV] = '1'


def add_allow_pickle_argument(parser: argparse.ArgumentParser) -> None:
    """Give a tool ``--allow-pickle``, which sets ``MMDCCD_ALLOW_PICKLE=1``
    for the process (and its dataloader workers)."""
    parser.add_argument(
        '--allow-pickle',
        action=_AllowPickle,
        nargs=0,
        default=False,
        help='unpickle checkpoints that torch.load(weights_only=True) '
        'refuses (legacy mmengine files); a pickle can run code, so only '
        f'for files you trust (same as {ALLOW_PICKLE_ENV}=1)')


def pickle_allowed() -> bool:
    """Whether ``MMDCCD_ALLOW_PICKLE`` opts in to legacy pickles."""
    return os.environ.get(ALLOW_PICKLE_ENV, '').lower() in ('1', 'true',
                                                            'yes')


@contextmanager
def trusted_resume() -> Iterator[None]:
    """Within this context a legacy checkpoint is unpickled with a warning:
    ``--resume`` reads the user's own files."""
    token = _resuming.set(True)
    try:
        yield
    finally:
        _resuming.reset(token)


def _map_values(mapping: dict, fn: Callable) -> dict:
    """A copy of ``mapping`` (same type: OrderedDict, Counter...) with
    ``fn`` applied to its values."""
    out = copy.copy(mapping)
    for key, value in mapping.items():
        out[key] = fn(value)
    return out


def to_weights_only(obj: Any) -> Any:
    """A copy of ``obj`` that ``torch.load(weights_only=True)`` reads:
    ``HistoryBuffer`` and numpy arrays become tagged dicts of tensors, numpy
    scalars become Python numbers. Containers are copied, never mutated."""
    from mmengine.logging import HistoryBuffer
    if isinstance(obj, HistoryBuffer):
        log_history, count_history = obj.data
        return {
            _HISTORY_BUFFER: True,
            'log_history': torch.from_numpy(np.array(log_history)),
            'count_history': torch.from_numpy(np.array(count_history)),
            'max_length': int(obj.max_length),
        }
    if isinstance(obj, np.ndarray):
        return {_NDARRAY: torch.from_numpy(np.array(obj))}
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, dict):
        return _map_values(obj, to_weights_only)
    if isinstance(obj, (list, tuple)) and type(obj) in (list, tuple):
        return type(obj)(to_weights_only(v) for v in obj)
    return obj


def from_weights_only(obj: Any) -> Any:
    """Inverse of :func:`to_weights_only` (numpy scalars come back as Python
    numbers, which mmengine treats alike)."""
    from mmengine.logging import HistoryBuffer
    if isinstance(obj, dict):
        if obj.get(_HISTORY_BUFFER) is True:
            return HistoryBuffer(obj['log_history'].numpy(),
                                 obj['count_history'].numpy(),
                                 obj['max_length'])
        if set(obj) == {_NDARRAY}:
            return obj[_NDARRAY].numpy()
        return _map_values(obj, from_weights_only)
    if type(obj) in (list, tuple):
        return type(obj)(from_weights_only(v) for v in obj)
    return obj


def load_checkpoint_file(filename: str,
                         map_location: MapLocation = None,
                         allow_pickle: bool = False) -> Any:
    """Read a local checkpoint with ``torch.load(weights_only=True)``.

    Args:
        filename (str): The checkpoint file.
        map_location (str | torch.device | Callable, optional): As for
            :func:`torch.load`. Defaults to None.
        allow_pickle (bool): Unpickle a file that ``weights_only`` refuses
            (a pickle can run code: only for files you trust). Also enabled
            by ``MMDCCD_ALLOW_PICKLE=1`` and, with a warning, inside
            :func:`trusted_resume`. Defaults to False.

    Returns:
        The loaded object, with mmengine's message hub restored.

    Raises:
        FileNotFoundError: ``filename`` does not exist.
        UntrustedCheckpointError: The file needs unpickling and no opt-in
            was given.
    """
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint {filename} can not be found.')
    try:
        loaded = torch.load(
            filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as e:
        reason = str(e).strip().splitlines()[0]
        if not (allow_pickle or pickle_allowed() or _resuming.get()):
            raise UntrustedCheckpointError(
                f'{filename} holds pickled Python objects that '
                f'torch.load(weights_only=True) refuses ({reason}). '
                'Unpickling can run arbitrary code. If you trust the file, '
                'rerun with --allow-pickle (tools/train.py, tools/test.py) '
                f'or set {ALLOW_PICKLE_ENV}=1; or re-save its state_dict '
                'alone.') from e
        warnings.warn(f'unpickling {filename} (weights_only=False): '
                      f'{reason}. Only do this for files you trust.')
        loaded = torch.load(
            filename, map_location=map_location, weights_only=False)
    return from_weights_only(loaded)


def write_atomic(data: bytes, filename: str) -> None:
    """Write ``data`` to ``filename`` through a temporary file in the same
    folder and :func:`os.replace`: readers see the old file or the complete
    new one, never a partial one."""
    folder = osp.dirname(osp.abspath(filename))
    os.makedirs(folder, exist_ok=True)
    tmp = f'{filename}.tmp{os.getpid()}'
    try:
        with open(tmp, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, filename)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)


def save_checkpoint(checkpoint: dict,
                    filename: str,
                    file_client_args: Optional[dict] = None,
                    backend_args: Optional[dict] = None) -> None:
    """``mmengine.runner.checkpoint.save_checkpoint`` in the weights-only
    form, written atomically to local paths (other backends: mmengine's
    writer)."""
    checkpoint = to_weights_only(checkpoint)
    is_local = '://' not in str(filename) and file_client_args is None and \
        not (backend_args or {}).get('backend')
    if not is_local:
        from mmengine.runner import checkpoint as mmengine_checkpoint
        mmengine_checkpoint.save_checkpoint(checkpoint, filename,
                                            file_client_args, backend_args)
        return
    with io.BytesIO() as f:
        torch.save(checkpoint, f)
        write_atomic(f.getvalue(), str(filename))


def is_complete_checkpoint(filename: str) -> bool:
    """Whether ``filename`` is a complete ``torch.save`` archive (a file cut
    off mid-write lacks the zip directory at its end)."""
    try:
        with zipfile.ZipFile(filename) as archive:
            return len(archive.namelist()) > 0
    except (OSError, zipfile.BadZipFile):
        return False


def find_latest_loadable_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint that auto-resume (``--resume`` without a file) uses.

    The one named in ``<work_dir>/last_checkpoint`` if it is complete, else,
    with a warning, the newest complete ``*.pth`` beside it or in
    ``work_dir``; None when there is none.
    """
    record = osp.join(work_dir, 'last_checkpoint')
    last = None
    if osp.isfile(record):
        with open(record) as f:
            last = f.read().strip() or None
    if last is not None and is_complete_checkpoint(last):
        return last
    folders = {work_dir} | ({osp.dirname(last)} if last else set())
    candidates: List[str] = sorted(
        {p for d in folders for p in glob.glob(osp.join(d, '*.pth'))},
        key=osp.getmtime,
        reverse=True)
    for candidate in candidates:
        if is_complete_checkpoint(candidate):
            warnings.warn(f'{last or record} is missing or incomplete (a '
                          f'crash mid-save?); resuming from {candidate}, '
                          'the newest complete checkpoint.')
            return candidate
    if last is not None:
        warnings.warn(f'{last} is incomplete and {work_dir} holds no other '
                      'complete checkpoint; training starts from scratch.')
    return None


def save_checkpoint_with_step(hook, runner, step: int, meta: dict) -> None:
    """``CheckpointHook._save_checkpoint_with_step`` in a crash-safe order:
    save the new checkpoint (atomically), then replace ``last_checkpoint``,
    and only then delete checkpoints beyond ``max_keep_ckpts``.

    Args:
        hook (mmengine.hooks.CheckpointHook): The hook.
        runner (mmengine.runner.Runner): The runner.
        step (int): Epoch or iteration of the checkpoint.
        meta (dict): Its ``meta``.
    """
    from mmengine.dist import is_main_process
    outdated = []
    # keep_ckpt_ids exists only with max_keep_ckpts > 0; a step may be saved
    # twice in one epoch (regular and best checkpoint)
    if hook.max_keep_ckpts > 0 and not (hook.keep_ckpt_ids
                                        and hook.keep_ckpt_ids[-1] == step):
        if len(hook.keep_ckpt_ids) == hook.max_keep_ckpts:
            outdated.append(hook.keep_ckpt_ids.popleft())
        hook.keep_ckpt_ids.append(step)
        runner.message_hub.update_info('keep_ckpt_ids',
                                       list(hook.keep_ckpt_ids))

    ckpt_filename = hook.filename_tmpl.format(step)
    hook.last_ckpt = hook.file_backend.join_path(hook.out_dir, ckpt_filename)
    runner.message_hub.update_info('last_ckpt', hook.last_ckpt)
    runner.save_checkpoint(
        hook.out_dir,
        ckpt_filename,
        hook.file_client_args,
        save_optimizer=hook.save_optimizer,
        save_param_scheduler=hook.save_param_scheduler,
        meta=meta,
        by_epoch=hook.by_epoch,
        backend_args=hook.backend_args,
        **hook.args)
    if not is_main_process():
        return
    write_atomic(
        hook.last_ckpt.encode(), osp.join(runner.work_dir, 'last_checkpoint'))
    for old_step in outdated:
        old = hook.file_backend.join_path(hook.out_dir,
                                          hook.filename_tmpl.format(old_step))
        if hook.file_backend.isfile(old):
            hook.file_backend.remove(old)
        elif hook.file_backend.isdir(old):  # deepspeed saves folders
            hook.file_backend.rmtree(old)


def keep_old_best_until_saved(save_best: Callable) -> Callable:
    """Wrap ``CheckpointHook._save_best_checkpoint`` so that the previous
    best checkpoint is deleted only after the new one is written.

    mmengine removes the previous best before it saves the new one, so a
    crash in between leaves no best checkpoint at all. The wrapper lets
    mmengine's method run unchanged but holds back every removal it asks of
    the hook's file backend until the method has returned; if the save
    raises, nothing is removed.

    Args:
        save_best (callable): mmengine's ``_save_best_checkpoint``.

    Returns:
        callable: The method, with its removals deferred.
    """

    @functools.wraps(save_best)
    def wrapper(hook, runner, metrics) -> None:
        backend = hook.file_backend
        held_back = []  # (remove or rmtree, path)
        backend.remove = lambda path: held_back.append(('remove', path))
        backend.rmtree = lambda path: held_back.append(('rmtree', path))
        try:
            save_best(hook, runner, metrics)
        finally:
            # the instance attributes shadowed the backend's own methods
            del backend.remove, backend.rmtree
        # one key indicator: best_ckpt_path; several: best_ckpt_path_dict
        current = {getattr(hook, 'best_ckpt_path', None),
                   *getattr(hook, 'best_ckpt_path_dict', {}).values()}
        for how, path in held_back:
            if path not in current:
                getattr(backend, how)(path)

    wrapper._mmdccd_keeps_old_best = True
    return wrapper
