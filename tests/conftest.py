"""Shared pytest fixtures (see tests/utils.py for the helpers)."""
import functools
import gc

import mmengine.config.config as mmengine_config
import pytest

# mmdccd first: it makes mmrazor importable on torch 2.x (mmdccd.compat) and
# lets configs with `mmpretrain::` bases load without pkg_resources. Every
# test folder is a package (has an ``__init__.py``), so pytest puts the
# repository root on sys.path and ``tests.utils`` imports.
import mmdccd  # noqa: F401
from mmengine.registry import DefaultScope

from tests.utils import make_image_folder

# What is imported so far (about 440k objects: torch, the OpenMMLab stack)
# lives as long as the session: keep it out of the garbage collector's scans.
# mmengine's BaseDataset calls gc.collect() each time a dataset is built,
# three times a Runner, and each full scan of these objects took 0.3-0.45 s
# (a fifth of the time of a config test). gc.freeze() changes what a scan
# visits, not what is collected: nothing imported here is garbage.
gc.freeze()

#: yapf's formatter as mmengine's Config imported it.
_format_code = mmengine_config.FormatCode


@functools.lru_cache(maxsize=None)
def _format_once(text: str, style: tuple) -> tuple:
    return _format_code(text, style_config=dict(style))


def _memoised_format_code(text, style_config=None, **kwargs):
    """yapf's ``FormatCode``, each (text, style) formatted once a session.

    Every Runner formats its config twice with yapf (``Config.pretty_text``,
    for the log and for the dumped copy), about 0.5 s each time: a pure
    function of its arguments, so its result is reused (errors are not
    cached, they are raised again each time)."""
    if kwargs or not isinstance(style_config, dict):
        return _format_code(text, style_config=style_config, **kwargs)
    return _format_once(text, tuple(sorted(style_config.items())))


mmengine_config.FormatCode = _memoised_format_code

#: The default scopes that exist when the session starts (see below).
_SESSION_SCOPES = DefaultScope._instance_dict.copy()


@pytest.fixture(autouse=True)
def _keep_default_scope():
    """After every test the default scope is as it was when the session
    started: a Runner built by one test or fixture (a toy runner with
    ``default_scope='mmengine'``, say) would otherwise stay the current
    scope, and later tests would look up mmpretrain's types in mmengine's
    registries."""
    yield
    DefaultScope._instance_dict.clear()
    DefaultScope._instance_dict.update(_SESSION_SCOPES)


def pytest_collection_modifyitems(config, items):
    """Tests marked ``cuda`` skip, with the reason, where no GPU is seen."""
    import torch
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(
        reason='needs a CUDA GPU (torch.cuda.is_available() is False); '
        'tools/gpu_check.sh runs these on a GPU host')
    for item in items:
        if 'cuda' in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope='session')
def image_folder(tmp_path_factory) -> str:
    """Generated 2-class, 8x8 PNG data in mmpretrain's CustomDataset layout
    (8 train and 4 val images a class); read-only for tests."""
    return make_image_folder(str(tmp_path_factory.mktemp('image_folder')))


@pytest.fixture(scope='session')
def tiny_kd_run(tmp_path_factory, image_folder) -> str:
    """Work dir of ``tools/train.py tests/data/configs/tiny_kd.py``: 4
    iterations of mmrazor KD on the generated data, checkpoints
    ``iter_2.pth`` and ``iter_4.pth`` (treat as read-only)."""
    from tests.utils import config_path, data_root_options, run_tool
    work_dir = str(tmp_path_factory.mktemp('tiny_kd_run'))
    run_tool([
        'tools/train.py',
        config_path('tiny_kd.py'), '--work-dir', work_dir, '--cfg-options',
        *data_root_options(image_folder)
    ])
    return work_dir
