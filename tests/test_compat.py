"""Each fix of mmdccd.compat (docs/design.md section 3, fixes 1-5 and 10)
is needed: the same step fails without ``import mmdccd`` (checked in a fresh
interpreter) and works with it."""
import os
import os.path as osp
import pickle
import textwrap

import mmdccd  # noqa: F401  (applies the fixes in this process)
import pytest
import torch
from mmengine.runner import CheckpointLoader, load_checkpoint
from mmengine.runner import checkpoint as mmengine_checkpoint

from mmdccd.compat import QuantizationUnavailableError
from tests.utils import (config_path, load_tool, run_python, toy_model,
                         toy_runner)

# --- fix 1: mmrazor.models imports; quantization says it needs torch 1.13 --

QUANTIZER = dict(
    type='TorchNativeQuantizer',
    global_qconfig=dict(
        w_observer=dict(type='mmrazor.PerChannelMinMaxObserver'),
        a_observer=dict(type='mmrazor.MovingAverageMinMaxObserver'),
        w_fake_quant=dict(type='mmrazor.FakeQuantize'),
        a_fake_quant=dict(type='mmrazor.FakeQuantize'),
        w_qscheme=dict(qdtype='qint8', bit=8, is_symmetry=True),
        a_qscheme=dict(qdtype='quint8', bit=8, is_symmetry=True)))


def test_mmrazor_models_import_fails_without_compat():
    proc = run_python('import mmrazor.models')
    assert proc.returncode != 0
    # raised while building the torch 1.13 quantization tables
    assert 'ImportError' in proc.stdout
    assert 'quantization/backend_config' in proc.stdout


def test_mmrazor_models_imports_and_quantizer_says_torch_1_13():
    import mmrazor.models  # noqa: F401
    from mmrazor.registry import MODELS
    assert MODELS.get('SingleTeacherDistill') is not None
    with pytest.raises(QuantizationUnavailableError, match='torch 1.13'):
        MODELS.build(QUANTIZER)


# --- fix 2: an mmcv newer than mmrazor's maximum -------------------------

FAKE_MMCV = textwrap.dedent("""
    import warnings
    import mmcv
    mmcv.__version__ = '2.2.0'
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        {imports}
    assert mmcv.__version__ == '2.2.0', mmcv.__version__
    print('WARNED', any('2.2.0' in str(w.message) for w in caught))
""")


def test_newer_mmcv_rejected_by_mmrazor_without_compat():
    proc = run_python(FAKE_MMCV.format(imports='import mmrazor'))
    assert proc.returncode != 0
    assert 'AssertionError' in proc.stdout and '2.2.0' in proc.stdout


def test_newer_mmcv_accepted_with_warning():
    proc = run_python(
        FAKE_MMCV.format(imports='import mmdccd; import mmrazor.models'))
    assert proc.returncode == 0, proc.stdout
    assert 'WARNED True' in proc.stdout


# --- fix 3: mmpretrain:: config paths without pkg_resources --------------

NO_PKG_RESOURCES = textwrap.dedent("""
    import sys
    sys.modules['pkg_resources'] = None  # as on setuptools >= 81
    {imports}
    from mmengine.config import Config
    cfg = Config.fromfile({path!r}, import_custom_modules=False)
    print('SCOPE', cfg.default_scope, cfg.model.head.num_classes)
""")


def test_mmpretrain_base_fails_without_pkg_resources():
    proc = run_python(
        NO_PKG_RESOURCES.format(
            imports='', path=config_path('mmpretrain_resnet18_cifar.py')))
    assert proc.returncode != 0
    assert 'import of pkg_resources halted' in proc.stdout


def test_mmpretrain_base_loads_without_pkg_resources():
    proc = run_python(
        NO_PKG_RESOURCES.format(
            imports='import mmdccd',
            path=config_path('mmpretrain_resnet18_cifar.py')))
    assert proc.returncode == 0, proc.stdout
    # default_scope from default_runtime.py, num_classes from
    # models/resnet18_cifar.py: both mmpretrain base files were read
    assert 'SCOPE mmpretrain 10' in proc.stdout


# --- fix 4: mmengine checkpoints on torch >= 2.6 -------------------------


@pytest.fixture(scope='module')
def runner_checkpoint(tmp_path_factory) -> str:
    """A checkpoint written by an mmengine Runner after 1 iteration."""
    work_dir = str(tmp_path_factory.mktemp('runner_ckpt'))
    toy_runner(work_dir, max_iters=1).train()
    return osp.join(work_dir, 'iter_1.pth')


def test_mmengine_checkpoint_fails_with_torch_default(tmp_path):
    # what mmengine 0.10.7 writes: a HistoryBuffer pickled in message_hub;
    # its own local loader calls torch.load without weights_only
    from mmengine.logging import HistoryBuffer
    legacy = str(tmp_path / 'legacy.pth')
    torch.save(dict(state_dict={}, message_hub=dict(
        log_scalars={'train/loss': HistoryBuffer([1.0], [1])})), legacy)
    with pytest.raises(pickle.UnpicklingError):
        mmengine_checkpoint.load_from_local(legacy, 'cpu')


def test_runner_checkpoint_is_weights_only_after_compat(runner_checkpoint):
    from mmengine.logging import HistoryBuffer

    # written in the plain form: no unpickling needed at all
    plain = torch.load(runner_checkpoint, weights_only=True)
    assert plain['meta']['iter'] == 1
    # and mmengine's objects come back through the checkpoint loader
    checkpoint = CheckpointLoader.load_checkpoint(runner_checkpoint, 'cpu')
    scalars = checkpoint['message_hub']['log_scalars']
    assert isinstance(scalars['train/loss'], HistoryBuffer)
    logged = plain['message_hub']['log_scalars']['train/loss']
    torch.testing.assert_close(
        torch.from_numpy(scalars['train/loss'].data[0]),
        logged['log_history'])

    model = toy_model()
    load_checkpoint(model, runner_checkpoint, map_location='cpu')
    torch.testing.assert_close(model.linear.weight,
                               checkpoint['state_dict']['linear.weight'])


def test_url_checkpoint_is_weights_only(monkeypatch):
    calls = []

    def fake_fetch(url, **kwargs):
        calls.append((url, kwargs))
        return {'state_dict': {}}

    monkeypatch.setattr(torch.hub, 'load_state_dict_from_url', fake_fetch)
    url = 'https://example.com/teacher.pth'
    CheckpointLoader.load_checkpoint(url, map_location='cpu')
    assert calls == [(url, dict(
        model_dir=None, map_location='cpu', progress=False,
        weights_only=True))]


# --- fix 5: both spellings of the local-rank flag ------------------------


@pytest.mark.parametrize('tool', ['train', 'test'])
@pytest.mark.parametrize('flag', ['--local-rank', '--local_rank'])
def test_tools_accept_both_local_rank_spellings(tool, flag, monkeypatch):
    monkeypatch.delenv('LOCAL_RANK', raising=False)
    module = load_tool(f'{tool}.py')
    positional = ['cfg.py'] if tool == 'train' else ['cfg.py', 'ckpt.pth']
    args = module.parse_args([*positional, flag, '1'])
    assert args.local_rank == 1
    assert os.environ['LOCAL_RANK'] == '1'


def test_train_resume_flag_forms():
    module = load_tool('train.py')
    assert module.parse_args(['cfg.py']).resume is None
    assert module.parse_args(['cfg.py', '--resume']).resume == 'auto'
    assert module.parse_args(['cfg.py', '--resume',
                              'a.pth']).resume == 'a.pth'


# --- fix 10: the interpreter's recursion limit ---------------------------

STANDALONE_COMPAT = textwrap.dedent("""
    import importlib.util, sys
    spec = importlib.util.spec_from_file_location('_compat', {path!r})
    compat = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compat)
    compat._patch_quantization()  # fix 1 only, so that mmrazor imports
    import mmrazor.models
    print('LIMIT', sys.getrecursionlimit())
""")


def test_mmrazor_import_raises_the_recursion_limit_without_compat():
    path = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))),
                    'mmdccd', 'compat.py')
    proc = run_python(STANDALONE_COMPAT.format(path=path))
    assert proc.returncode == 0, proc.stdout
    assert 'LIMIT 1048576' in proc.stdout  # 2**20, for the whole process


LIMIT_AFTER_IMPORT = textwrap.dedent("""
    import inspect, sys, time, unittest.mock
    print('BEFORE', sys.getrecursionlimit())
    import mmdccd
    print('AFTER', sys.getrecursionlimit())
    start = time.perf_counter()
    try:
        inspect.unwrap(unittest.mock.call)
    except ValueError as error:
        print('UNWRAP', type(error).__name__, error)
    print('SECONDS', time.perf_counter() - start)
""")


def test_import_mmdccd_leaves_the_recursion_limit():
    proc = run_python(LIMIT_AFTER_IMPORT)
    assert proc.returncode == 0, proc.stdout
    assert 'BEFORE 1000\nAFTER 1000\n' in proc.stdout
    # mock.call's __getattr__ makes a new wrapper at every step: unwrap stops
    # at the recursion limit (1000 steps), not after 2**20
    assert 'UNWRAP ValueError wrapper loop when unwrapping call' in \
        proc.stdout
    seconds = float(proc.stdout.split('SECONDS ')[1].split()[0])
    assert seconds < 2.0


def test_mmrazor_tracers_get_the_deep_limit_during_their_call():
    import sys

    from mmrazor.models.task_modules.tracer import (BackwardTracer,
                                                     ChannelAnalyzer)
    from mmrazor.models.task_modules.tracer.fx_tracer import FxTracer

    seen = []

    class Net(torch.nn.Module):

        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 4, 3)
            self.bn = torch.nn.BatchNorm2d(4)

        def forward(self, x):
            seen.append(sys.getrecursionlimit())
            return self.bn(self.conv(x))

    before = sys.getrecursionlimit()
    assert before < 2**20
    BackwardTracer(loss_calculator=dict(
        type='ImageClassifierPseudoLoss')).trace(Net())
    FxTracer().trace(Net())
    ChannelAnalyzer(tracer_type='FxTracer').analyze(Net())
    assert seen and set(seen) == {2**20}
    assert sys.getrecursionlimit() == before
