"""Make mmengine 0.10 + mmpretrain 1.2 + mmrazor 1.0 work on current PyTorch.

mmrazor 1.0.0 (its last release) was written for PyTorch 1.13 and mmcv 2.0.
``import mmdccd`` calls :func:`apply` before anything imports mmrazor. Each
fix below is numbered as in docs/design.md section 3 and has its own test in
``tests/test_compat.py``:

1. ``mmrazor.structures.quantization.backend_config`` builds quantization
   tables from ``torch.ao`` names that torch 2.x removed, so
   ``import mmrazor.models`` fails. As mmrazor's own main branch does, the
   tables are left empty on torch != 1.13: a stand-in module is installed
   whose ``BackendConfigs`` entries are ``None`` and whose accessors raise
   :class:`QuantizationUnavailableError` saying that torch 1.13 is needed.
   Every distillation part of mmrazor works without them.
2. mmrazor asserts ``mmcv <= 2.1.0`` (mmpretrain ``< 2.4.0``). On a GPU host
   with a newer mmcv build the import would stop on a bare ``AssertionError``;
   the version check is relaxed for the duration of that import, with a
   warning naming the tested version.
3. mmengine looks packages up (``mmpretrain::`` config paths) through
   ``pkg_resources``, which setuptools >= 81 no longer ships. The lookup is
   re-implemented on :mod:`importlib.metadata`.
4. Since torch 2.6, :func:`torch.load` defaults to ``weights_only=True``, and
   mmengine's own checkpoints (``HistoryBuffer``, numpy objects in
   ``message_hub``) no longer load. Rather than unpickle them, every local
   checkpoint is read with ``weights_only=True`` (a pickle can run code, and
   teacher checkpoints come from third parties), and the checkpoints that
   mmengine runners write are stored in a plain, weights-only form
   (:mod:`mmdccd.utils.checkpoint`). A legacy pickle loads only on an opt-in
   (``--allow-pickle``, ``MMDCCD_ALLOW_PICKLE=1``), except that
   ``Runner.resume`` (the user's own run) unpickles it with a warning. URLs
   keep ``weights_only=True``. The same fix makes saving crash-safe:
   temporary file and :func:`os.replace`, ``last_checkpoint`` replaced
   atomically, old checkpoints (the previous best of ``save_best`` too)
   deleted only after the new one is complete, and auto-resume from the newest complete checkpoint.
5. ``torch.distributed.launch`` passes ``--local-rank``; our tools accept
   both spellings (see ``tools/train.py``), nothing to patch here.

(Fixes 6-9 are in the parts they concern; docs/design.md lists them.)

10. Importing ``mmrazor.models`` calls ``sys.setrecursionlimit(2**20)``
    (``mmrazor/structures/graph/channel_flow.py`` and
    ``models/task_modules/tracer/fx_tracer.py``), for everyone who imports
    mmdccd: a runaway recursion then overflows the C stack instead of raising
    :class:`RecursionError`, and :func:`inspect.unwrap` walks up to a million
    wrappers (``unittest.mock.call``). The limit is put back after the
    import; mmrazor's tracers and channel analyzer, the code that wanted the
    deep limit, raise it only for the duration of their call
    (:func:`deep_recursion`). The import's other interpreter-wide changes
    are not mmrazor's (scipy's filters for its own warnings,
    ``KMP_INIT_AT_FORK`` set when an OpenMP runtime loads) and stay.

11. mmpretrain's folder datasets (``CustomDataset``, ``ImageNet``) stop on a
    bare ``FileNotFoundError`` when ``data_root`` does not exist; they now
    check first and say which layout goes where
    (:mod:`mmdccd.datasets.folder_layout`).
"""
import functools
import importlib
import importlib.metadata
import importlib.util
import os.path as osp
import sys
import types
import warnings
from contextlib import contextmanager
from typing import Callable, Iterator

import torch

_QUANT_MODULE = 'mmrazor.structures.quantization.backend_config'
#: The recursion limit mmrazor sets at import, which its tracers get back
#: for the duration of a call (fix 10).
TRACER_RECURSION_LIMIT = 2**20
#: ``(module, class, method)`` of mmrazor that recurse as deep as
#: the graph of the traced model (fix 10).
_DEEP_RECURSION_METHODS = (
    ('mmrazor.models.task_modules.tracer.fx_tracer', 'FxTracer', 'trace'),
    ('mmrazor.models.task_modules.tracer.fx.custom_tracer', 'CustomTracer',
     'trace'),
    ('mmrazor.models.task_modules.tracer.backward_tracer', 'BackwardTracer',
     'trace'),
    ('mmrazor.models.task_modules.tracer.channel_analyzer', 'ChannelAnalyzer',
     'analyze'),
)
TESTED_MMCV = '2.1.0'
_applied = False


class QuantizationUnavailableError(RuntimeError):
    """Raised when mmrazor's quantization is used on torch other than 1.13."""


def _quantization_error() -> QuantizationUnavailableError:
    return QuantizationUnavailableError(
        'mmrazor 1.0.0 quantization needs torch 1.13 (its backend configs use '
        f'torch.ao names removed in torch 2.x); found torch {torch.__version__}'
        '. Install torch==1.13.* to quantize, or use mmdccd for distillation '
        'only.')


class _UnavailableBackendConfigs(dict):
    """``BackendConfigs`` stand-in: every backend maps to ``None`` and looking
    one up with ``[]`` (as the quantizers do) raises a clear error."""

    def __getitem__(self, backend: str):
        raise _quantization_error()


def _make_backend_config_standin() -> types.ModuleType:
    module = types.ModuleType(_QUANT_MODULE)
    module.__doc__ = ('Stand-in installed by mmdccd.compat: quantization '
                      'backend configs need torch 1.13.')
    module.BackendConfigs = _UnavailableBackendConfigs(
        academic=None, native=None, tensorrt=None, openvino=None)

    def unavailable(*args, **kwargs):
        raise _quantization_error()

    names = ['BackendConfigs']
    for backend in ('native', 'academic', 'openvino', 'tensorrt'):
        for suffix in ('', '_dict'):
            name = f'get_{backend}_backend_config{suffix}'
            setattr(module, name, unavailable)
            names.append(name)
    module.__all__ = names
    return module


def needs_quantization_standin() -> bool:
    """mmrazor's quantization tables only build on torch 1.13."""
    return not torch.__version__.startswith('1.13')


def _patch_quantization() -> None:
    """Fix 1: install the backend-config stand-in before mmrazor loads."""
    if needs_quantization_standin() and _QUANT_MODULE not in sys.modules:
        sys.modules[_QUANT_MODULE] = _make_backend_config_standin()


@contextmanager
def _tested_mmcv_version() -> Iterator[None]:
    """Fix 2: let mmrazor/mmpretrain import beside an untested mmcv."""
    import mmcv
    from mmengine.utils import digit_version
    real = mmcv.__version__
    if digit_version(real) <= digit_version(TESTED_MMCV):
        yield
        return
    warnings.warn(
        f'mmcv {real} is newer than the tested {TESTED_MMCV}; mmrazor 1.0.0 '
        'rejects it, mmdccd lets it through. Report problems with the mmcv '
        'version in the issue.')
    mmcv.__version__ = TESTED_MMCV
    try:
        yield
    finally:
        mmcv.__version__ = real


def _distribution_location(package: str):
    """Return the site directory of an installed distribution, or None."""
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError:
        return None
    return str(dist.locate_file(''))


def is_installed(package: str) -> bool:
    """``mmengine.utils.is_installed`` without ``pkg_resources``."""
    if _distribution_location(package) is not None:
        return True
    spec = importlib.util.find_spec(package)
    return spec is not None and spec.origin is not None


def get_installed_path(package: str) -> str:
    """``mmengine.utils.get_installed_path`` without ``pkg_resources``."""
    from mmengine.utils.package_utils import package2module
    location = _distribution_location(package)
    if location is None:
        spec = importlib.util.find_spec(package)
        if spec is None:
            raise importlib.metadata.PackageNotFoundError(package)
        if spec.origin is None:
            raise RuntimeError(f'{package} is a namespace package, which is '
                               'invalid for `get_installed_path`')
        return osp.dirname(spec.origin)
    possible_path = osp.join(location, package)
    if osp.exists(possible_path):
        return possible_path
    module = package2module(package)
    spec = importlib.util.find_spec(module)
    if spec is not None and spec.origin is not None:
        # editable installs: the package lives outside site-packages
        return osp.dirname(spec.origin)
    return osp.join(location, module)


def _patch_package_lookup() -> None:
    """Fix 3: mmengine's package lookup on importlib.metadata."""
    import mmengine.utils
    import mmengine.utils.package_utils as package_utils
    for owner in (package_utils, mmengine.utils):
        owner.is_installed = is_installed
        owner.get_installed_path = get_installed_path
    # modules that imported the names before us
    for name in ('mmengine.config.config', 'mmengine.hub.hub'):
        module = importlib.import_module(name)
        module.is_installed = is_installed
        module.get_installed_path = get_installed_path


# mmengine logs a loader as "Loads checkpoint by {name[10:]} backend": the
# names below read "local_weights_only" and "http_weights_only" there.
def load_from_local_weights_only(filename: str, map_location=None):
    """Load a local checkpoint with ``weights_only=True`` (legacy pickles
    need the opt-in of :func:`mmdccd.utils.checkpoint.load_checkpoint_file`)
    ."""
    from mmdccd.utils.checkpoint import load_checkpoint_file
    return load_checkpoint_file(filename, map_location=map_location)


def load_from_http_weights_only(filename: str,
                                map_location=None,
                                model_dir=None,
                                progress: bool = False):
    """Load a checkpoint from a URL with ``weights_only=True``: downloaded
    files are not trusted to unpickle arbitrary objects. A download that
    fails (no network, a wrong URL) raises an OSError naming the URL, the
    file torch.hub would read it from, and the local-file override."""
    from mmengine.dist import get_dist_info
    rank, world_size = get_dist_info()

    def fetch():
        try:
            return torch.hub.load_state_dict_from_url(
                filename,
                model_dir=model_dir,
                map_location=map_location,
                progress=progress,
                weights_only=True)
        except OSError as exc:  # URLError, HTTPError, timeouts
            cached = osp.join(model_dir or osp.join(torch.hub.get_dir(),
                                                    'checkpoints'),
                              osp.basename(filename.split('?')[0]))
            raise OSError(
                f'could not download the checkpoint {filename} ({exc}). '
                'Expected network access to it; without one, download the '
                f'file elsewhere and either put it at {cached} (read '
                'instead of downloading) or give its local path in place of '
                'the URL (in the config, or with --cfg-options KEY=PATH for '
                'the key that holds the URL, e.g. model.teacher_ckpt or '
                'model.init_cfg.checkpoint).') from exc

    if rank == 0:
        checkpoint = fetch()
    if world_size > 1:
        torch.distributed.barrier()
        if rank > 0:
            checkpoint = fetch()
    return checkpoint


def _resume_trusted(resume: Callable) -> Callable:
    """``Runner.resume`` that may unpickle the user's own legacy file."""

    @functools.wraps(resume)
    def wrapper(self, filename: str, *args, **kwargs):
        from mmdccd.utils.checkpoint import trusted_resume
        with trusted_resume():
            return resume(self, filename, *args, **kwargs)

    wrapper._mmdccd_trusted = True
    return wrapper


def _patch_checkpoints() -> None:
    """Fix 4: weights-only loading and crash-safe, weights-only saving."""
    import mmengine.runner.runner as runner_module
    from mmengine.hooks import CheckpointHook
    from mmengine.runner.checkpoint import CheckpointLoader

    from mmdccd.utils import checkpoint
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local_weights_only, force=True)
    CheckpointLoader.register_scheme(
        prefixes=('http://', 'https://'),
        loader=load_from_http_weights_only,
        force=True)
    # names that mmengine's Runner imported from mmengine.runner.checkpoint
    runner_module.save_checkpoint = checkpoint.save_checkpoint
    runner_module.find_latest_checkpoint = \
        checkpoint.find_latest_loadable_checkpoint
    CheckpointHook._save_checkpoint_with_step = \
        checkpoint.save_checkpoint_with_step
    save_best = CheckpointHook._save_best_checkpoint
    if not getattr(save_best, '_mmdccd_keeps_old_best', False):
        CheckpointHook._save_best_checkpoint = \
            checkpoint.keep_old_best_until_saved(save_best)
    runner = runner_module.Runner
    if not getattr(runner.resume, '_mmdccd_trusted', False):
        runner.resume = _resume_trusted(runner.resume)


@contextmanager
def recursion_limit_kept() -> Iterator[None]:
    """Fix 10: whatever the body sets, leave :func:`sys.getrecursionlimit`
    as it was before it."""
    limit = sys.getrecursionlimit()
    try:
        yield
    finally:
        if sys.getrecursionlimit() != limit:
            sys.setrecursionlimit(limit)


def deep_recursion(method: Callable) -> Callable:
    """Fix 10: run ``method`` under mmrazor's recursion limit of ``2**20``
    (or the current one if higher) and put the limit back afterwards."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with recursion_limit_kept():
            sys.setrecursionlimit(
                max(sys.getrecursionlimit(), TRACER_RECURSION_LIMIT))
            return method(*args, **kwargs)

    wrapper._mmdccd_deep_recursion = True
    return wrapper


def _patch_tracers() -> None:
    """Fix 10: mmrazor's tracers get the deep limit during their calls."""
    for module_name, class_name, method_name in _DEEP_RECURSION_METHODS:
        owner = getattr(importlib.import_module(module_name), class_name)
        method = owner.__dict__[method_name]
        if not getattr(method, '_mmdccd_deep_recursion', False):
            setattr(owner, method_name, deep_recursion(method))


def _patch_folder_datasets() -> None:
    """Fix 11: folder datasets name the layout they expect."""
    from mmpretrain.datasets import CustomDataset

    from mmdccd.datasets.folder_layout import check_folder_layout
    load_data_list = CustomDataset.load_data_list
    if getattr(load_data_list, '_mmdccd_checked', False):
        return

    @functools.wraps(load_data_list)
    def checked(self):
        check_folder_layout(self)
        return load_data_list(self)

    checked._mmdccd_checked = True
    CustomDataset.load_data_list = checked


def apply() -> None:
    """Apply every fix once; import mmrazor and mmpretrain afterwards."""
    global _applied
    if _applied:
        return
    # mmcv-lite has no compiled ops; mmcv warns about one we never use.
    warnings.filterwarnings(
        'ignore', message='Fail to import ``MultiScaleDeformableAttention``')
    _patch_quantization()
    _patch_package_lookup()
    _patch_checkpoints()
    with _tested_mmcv_version(), recursion_limit_kept():
        importlib.import_module('mmpretrain')
        importlib.import_module('mmrazor')
        # the modules that raise the recursion limit at import (fix 10)
        importlib.import_module('mmrazor.models')
    _patch_tracers()
    _patch_folder_datasets()
    _applied = True
