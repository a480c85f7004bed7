"""The CCS (configs/ccs) and PDD (configs/pdd) configs: they load, pin the
choices documented in their READMEs, build, and train one iteration on
generated CIFAR files in the real format; the PDD prune + fine-tune path
runs end to end."""
import copy
import glob
import json
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

import mmdccd  # noqa: F401
import mmdccd.models.losses.ccs_loss  # noqa: F401  (registers the loss)
import mmdccd.models.pruning  # noqa: F401  (registers the backbones)
from tests.test_datasets.writers import write_cifar10, write_cifar100
from tests.utils import REPO_ROOT

CCS = sorted(glob.glob(osp.join(REPO_ROOT, 'configs', 'ccs', '*.py')))
PDD = sorted(glob.glob(osp.join(REPO_ROOT, 'configs', 'pdd', '*.py')))
# the PDD authors' *_kd.py and fine-tune configs train one iteration each
# (and are pruned and fine-tuned) in test_pdd_authors_configs.py
PDD = [
    p for p in PDD if not osp.basename(p).endswith(
        ('pdd_c10_kd.py', 'pdd_pruned_c10_finetune.py'))
]


def _images(n, seed):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(n, 32, 32, 3), dtype=np.uint8)


@pytest.fixture(scope='module')
def cifar_root(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('cifar'))
    write_cifar100(
        osp.join(root, 'c100'), _images(4, 0), [0, 1, 2, 3], _images(2, 1),
        [0, 1], [f'class{i}' for i in range(100)])
    # 20 training images a class, so that the PDD authors' recipe can hold
    # 10 % of every class out (configs/pdd/_base_/cifar10_bs256_heldout.py)
    write_cifar10(
        osp.join(root, 'c10'), [_images(40, k) for k in range(5)],
        [[i % 10 for i in range(40)]] * 5, _images(4, 9), [0, 1, 2, 3])
    return root


def tiny_run_cfg(path, cifar_root, work_dir, iters=1):
    cfg = Config.fromfile(path)
    if 'teacher_ckpt' in cfg.model:
        cfg.model.teacher_ckpt = None
    data_root = osp.join(cifar_root, 'c10' if 'LocalCIFAR10' ==
                         cfg.train_dataloader.dataset.type else 'c100')
    for name in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = cfg[name]
        loader.update(batch_size=2, num_workers=0, persistent_workers=False)
        loader.dataset.update(data_root=data_root, verify_md5=False)
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=iters,
                         val_interval=100)
    cfg.param_scheduler = None
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook', interval=iters, by_epoch=False)
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=1)
    cfg.work_dir = work_dir
    cfg.pop('custom_imports', None)
    return cfg


def student_of(model):
    return model.student if hasattr(model, 'student') else model


@pytest.mark.parametrize('path', CCS + PDD, ids=osp.basename)
def test_config_trains_one_iteration(path, cifar_root, tmp_path):
    cfg = tiny_run_cfg(path, cifar_root, str(tmp_path))
    runner = Runner.from_cfg(cfg)
    before = copy.deepcopy(student_of(runner.model).state_dict())
    runner.train()
    after = student_of(runner.model).state_dict()
    changed = [k for k in before if not torch.equal(before[k], after[k])]
    assert any('conv' in k or 'block' in k for k in changed)
    masks = [k for k in before if k.endswith('.m') and 'pdd_masks' in k]
    if 'pdd' in path and '_c10_' in osp.basename(path) and \
            'finetune' not in path and not osp.basename(path).startswith(
                ('resnet56', 'vgg16_c10')):
        assert masks, 'a PDD training config must have masks'
        assert any(k in changed for k in masks), 'masks must be trained'
    scalars = runner.message_hub.log_scalars
    if path in CCS:
        assert 'train/distill.loss_ccs' in scalars
        assert np.isfinite(scalars['train/distill.loss_ccs'].current())


@pytest.mark.parametrize('path', CCS, ids=osp.basename)
def test_ccs_config_choices(path):
    cfg = Config.fromfile(path)
    losses = cfg.model.distiller.distill_losses
    # DCCD's eq. (14) weights, as every method of its Table I: CE 1 + KD 1
    # (not the RepDistiller KD recipe's CE 0.1 + KD 0.9)
    assert cfg.model.architecture.head.loss.loss_weight == 1.0
    assert losses.loss_kd.tau == 4 and losses.loss_kd.loss_weight == 1.0
    assert losses.loss_ccs.type == 'ChannelCorrelationLoss'
    assert (losses.loss_ccs.intra_weight, losses.loss_ccs.inter_weight,
            losses.loss_ccs.loss_weight) == (1.0, 1.0, 1.0)
    student = cfg.model.architecture.head.in_channels
    teacher = cfg.model.teacher.head.in_channels
    connectors = cfg.model.distiller.get('connectors') or {}
    if student == teacher:
        assert not connectors
    else:
        conn = connectors['ccs_student']
        assert (conn.in_channel, conn.out_channel) == (student, teacher)
    expected_lr = 0.01 if any(s in path for s in ('mv2', 'shv')) else 0.05
    assert cfg.optim_wrapper.optimizer.lr == expected_lr
    assert cfg.train_cfg.max_epochs == 240


def test_pdd_prune_and_finetune_end_to_end(cifar_root, tmp_path):
    from tools.model_converters.pdd_prune import main as pdd_prune
    path = osp.join(REPO_ROOT, 'configs', 'pdd', 'r56_r20_c10_kd.py')
    cfg = tiny_run_cfg(path, cifar_root, str(tmp_path / 'train'), iters=2)
    runner = Runner.from_cfg(cfg)
    runner.train()
    ckpt = str(tmp_path / 'train' / 'iter_2.pth')
    # close some channels for sure (a 2-iteration run may close any number)
    state = torch.load(ckpt, map_location='cpu', weights_only=False)
    state['state_dict']['architecture.backbone.pdd_masks.stage2.m'][:5] = -1
    state['state_dict']['architecture.backbone.pdd_masks.layer3_1.m'][:] = 1
    state['state_dict']['architecture.backbone.pdd_masks.layer3_1.m'][
        :40] = -1
    torch.save(state, ckpt)

    out = str(tmp_path / 'pruned')
    c10 = osp.join(cifar_root, 'c10')
    report = pdd_prune([
        path, ckpt, out, '--test', '--cfg-options',
        f'test_dataloader.dataset.data_root={c10}',
        'test_dataloader.dataset.verify_md5=False',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False'
    ])
    with open(osp.join(out, 'report.json')) as f:
        assert json.load(f)['params_after'] == report['params_after']
    assert report['group_widths']['layer3_1'] == 24
    assert report['group_widths']['stage2'] <= 27
    assert report['params_after'] < report['params_before'] == 272474
    assert report['flops_after'] < report['flops_before']
    assert 'accuracy/top1' in report['test_metrics_before_finetune']

    # the pruned student's outputs equal the masked student's
    masked = student_of(runner.model)
    masked.load_state_dict({
        k[len('architecture.'):]: v
        for k, v in state['state_dict'].items()
        if k.startswith('architecture.')
    })
    ft_cfg = tiny_run_cfg(
        osp.join(out, 'finetune.py'), cifar_root, str(tmp_path / 'ft'),
        iters=2)
    ft_runner = Runner.from_cfg(ft_cfg)
    ft_runner.load_or_resume()
    pruned = ft_runner.model
    masked.eval()
    pruned.eval()
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(
            pruned(x, mode='tensor'), masked(x, mode='tensor'),
            rtol=1e-4, atol=1e-5)
    # and fine-tuning runs
    ft_runner.train()
    assert osp.exists(str(tmp_path / 'ft' / 'iter_2.pth'))
