"""tools/train.py (train, --resume) and tools/test.py (--out) on a tiny mmrazor
KD distillation with generated data (see tests/data/configs/tiny_kd.py)."""
import glob
import os.path as osp

import mmengine
import pytest
import torch

import mmdccd  # noqa: F401
from tests.utils import (config_path, data_root_options, run_tool,
                         write_malicious)

# tiny_schedule.py: lr 0.1, x0.1 after iterations 1 and 3
LR_AFTER = {2: 0.1 * 0.1, 4: 0.1 * 0.1 * 0.1}


def _load(path: str) -> dict:
    return torch.load(path, map_location='cpu', weights_only=False)


def _log_text(work_dir: str) -> str:
    logs = glob.glob(osp.join(work_dir, '*', '*.log'))
    assert len(logs) == 1, logs
    return open(logs[0]).read()


@pytest.fixture(scope='module')
def resumed_run(tmp_path_factory, image_folder, tiny_kd_run) -> str:
    """Work dir of a run resumed from the uninterrupted run's iter_2.pth."""
    work_dir = str(tmp_path_factory.mktemp('resumed'))
    run_tool([
        'tools/train.py',
        config_path('tiny_kd.py'), '--work-dir', work_dir, '--resume',
        osp.join(tiny_kd_run, 'iter_2.pth'), '--cfg-options',
        *data_root_options(image_folder)
    ])
    return work_dir


def test_train_saves_checkpoints_with_scheduled_lr(tiny_kd_run):
    for it, lr in LR_AFTER.items():
        checkpoint = _load(osp.join(tiny_kd_run, f'iter_{it}.pth'))
        assert checkpoint['meta']['iter'] == it
        saved_lr = checkpoint['optimizer']['param_groups'][0]['lr']
        assert saved_lr == pytest.approx(lr)
    state = _load(osp.join(tiny_kd_run, 'iter_4.pth'))['state_dict']
    prefixes = {key.split('.', 1)[0] for key in state}
    assert prefixes == {'architecture', 'teacher'}
    # teacher frozen (teacher_trainable=False): still its initial weights
    first = _load(osp.join(tiny_kd_run, 'iter_2.pth'))['state_dict']
    for key in state:
        if key.startswith('teacher.'):
            torch.testing.assert_close(state[key], first[key])


def test_resume_continues_from_saved_iteration(tiny_kd_run, resumed_run):
    log = _log_text(resumed_run)
    assert 'resumed epoch: 0, iter: 2' in log
    assert 'Iter(train) [1/4]' not in log
    assert 'Iter(train) [2/4]' not in log
    assert 'Iter(train) [3/4]' in log and 'Iter(train) [4/4]' in log
    assert not osp.exists(osp.join(resumed_run, 'iter_2.pth'))

    resumed = _load(osp.join(resumed_run, 'iter_4.pth'))
    uninterrupted = _load(osp.join(tiny_kd_run, 'iter_4.pth'))
    assert resumed['meta']['iter'] == 4
    # the lr schedule was restored: a restarted MultiStepLR would give 0.01
    assert resumed['optimizer']['param_groups'][0]['lr'] == pytest.approx(
        LR_AFTER[4])
    assert resumed['param_schedulers'][0]['last_step'] == uninterrupted[
        'param_schedulers'][0]['last_step'] == 3
    # same seed, same data order, same weights: the resumed run is the
    # uninterrupted one
    for key, value in uninterrupted['state_dict'].items():
        torch.testing.assert_close(
            resumed['state_dict'][key], value, msg=key)


def test_resume_auto_finds_last_checkpoint(tmp_path, image_folder,
                                           tiny_kd_run):
    # a copy of the finished run: --resume (auto) picks iter_4 and stops
    work_dir = str(tmp_path / 'auto')
    mmengine.mkdir_or_exist(work_dir)
    ckpt = osp.join(work_dir, 'iter_4.pth')
    torch.save(_load(osp.join(tiny_kd_run, 'iter_4.pth')), ckpt)
    with open(osp.join(work_dir, 'last_checkpoint'), 'w') as f:
        f.write(ckpt)
    proc = run_tool([
        'tools/train.py',
        config_path('tiny_kd.py'), '--work-dir', work_dir, '--resume',
        '--no-validate', '--cfg-options', *data_root_options(image_folder)
    ])
    assert 'resumed epoch: 0, iter: 4' in _log_text(work_dir)
    assert 'Training done after iteration 4.' in proc.stdout


def test_test_tool_dumps_predictions(tmp_path, image_folder, tiny_kd_run):
    out = str(tmp_path / 'preds.pkl')
    proc = run_tool([
        'tools/test.py',
        config_path('tiny_kd.py'),
        osp.join(tiny_kd_run, 'iter_4.pth'), '--work-dir',
        str(tmp_path / 'eval'), '--out', out, '--cfg-options',
        *data_root_options(image_folder)
    ])
    assert f'Wrote predictions to {out}' in proc.stdout
    predictions = mmengine.load(out)
    assert len(predictions) == 8  # 2 classes x 4 val images
    correct = [
        int(p['pred_label'][0]) == int(p['gt_label'][0]) for p in predictions
    ]
    for p in predictions:
        assert float(p['pred_score'].sum()) == pytest.approx(1.0)
        assert int(p['pred_label'][0]) == int(p['pred_score'].argmax())
    top1 = 100.0 * sum(correct) / len(correct)
    assert f'accuracy/top1: {top1}' in proc.stdout


def test_test_tool_writes_metrics_json(tmp_path, image_folder, tiny_kd_run):
    out = str(tmp_path / 'metrics.json')
    proc = run_tool([
        'tools/test.py',
        config_path('tiny_kd.py'),
        osp.join(tiny_kd_run, 'iter_4.pth'), '--work-dir',
        str(tmp_path / 'eval'), '--out', out, '--cfg-options',
        *data_root_options(image_folder)
    ])
    metrics = mmengine.load(out)
    assert set(metrics) == {'accuracy/top1'}
    assert 0.0 <= metrics['accuracy/top1'] <= 100.0
    assert f'Wrote metrics to {out}' in proc.stdout


def test_mmpretrain_base_config_loads_and_builds():
    from mmengine.config import Config
    from mmpretrain.registry import MODELS
    cfg = Config.fromfile(config_path('mmpretrain_resnet18_cifar.py'))
    assert cfg.default_scope == 'mmpretrain'  # default_runtime.py
    model = MODELS.build(cfg.model)
    # num_classes 10 from mmpretrain's resnet18_cifar.py, width 8 x 2**3
    # from our override
    assert tuple(model.head.fc.weight.shape) == (10, 64)
    assert model.backbone.conv1.out_channels == 8
    model.eval()
    with torch.no_grad():
        logits = model(torch.zeros(2, 3, 8, 8), mode='tensor')
    assert tuple(logits.shape) == (2, 10)


def test_amp_on_a_cpu_host_uses_bfloat16_autocast(tmp_path, image_folder):
    """--amp without a GPU: mmengine's AmpOptimWrapper refuses the CPU, so
    the tool picks CPUAmpOptimWrapper (bfloat16 autocast) and trains."""
    from mmengine.config import Config
    work_dir = str(tmp_path / 'amp')
    run_tool([
        'tools/train.py',
        config_path('tiny_kd.py'), '--work-dir', work_dir, '--amp',
        '--no-validate', '--cfg-options', *data_root_options(image_folder)
    ])
    saved = Config.fromfile(osp.join(work_dir, 'tiny_kd.py'))
    assert saved.optim_wrapper.type == 'CPUAmpOptimWrapper'
    assert 'loss_scale' not in saved.optim_wrapper
    assert osp.isfile(osp.join(work_dir, 'iter_4.pth'))


def test_test_tool_refuses_a_checkpoint_that_runs_code(tmp_path,
                                                       image_folder):
    marker = str(tmp_path / 'ran')
    evil = write_malicious(str(tmp_path / 'evil.pth'), marker)
    proc = run_tool([
        'tools/test.py',
        config_path('tiny_student_cls.py'), evil, '--work-dir',
        str(tmp_path / 'test'), '--cfg-options',
        *data_root_options(image_folder)
    ], check=False)
    assert proc.returncode != 0
    assert 'UntrustedCheckpointError' in proc.stdout
    assert f'{evil} holds pickled Python objects' in proc.stdout
    assert '--allow-pickle' in proc.stdout
    assert not osp.exists(marker)
