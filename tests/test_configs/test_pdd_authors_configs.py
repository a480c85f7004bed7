"""The PDD authors' recipe (configs/pdd/*pdd*): the choices their code makes,
a correct KD term where theirs is NaN (or 0), selection on a split held out
from the training set, and one PDD iteration -> prune -> one fine-tuning
iteration on generated CIFAR-10 files."""
import glob
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.runner import Runner
from mmrazor.registry import MODELS

import mmdccd  # noqa: F401
from tests.test_configs.test_ccs_pdd_configs import (  # noqa: F401
    cifar_root, student_of, tiny_run_cfg)
from tests.utils import REPO_ROOT

PDD = osp.join(REPO_ROOT, 'configs', 'pdd')
KD = ['r56pdd_r20pdd_c10_kd.py', 'v16pdd_v11pdd_c10_kd.py']
AS_RUN = ['r20pdd_c10_ce_as_run.py', 'v11pdd_c10_ce_as_run.py']
FINETUNE = ['r20pdd_pruned_c10_finetune.py', 'v11pdd_pruned_c10_finetune.py']


def load(name):
    return Config.fromfile(osp.join(PDD, name))


def test_every_authors_config_is_listed():
    names = {osp.basename(p) for p in glob.glob(osp.join(PDD, '*pdd*.py'))}
    assert names == set(KD + AS_RUN + FINETUNE) | {'r56pdd_c10.py',
                                                   'v16pdd_c10.py'}


@pytest.mark.parametrize('name', KD + AS_RUN + FINETUNE)
def test_the_authors_schedule_and_held_out_selection(name):
    cfg = load(name)
    optimizer = cfg.optim_wrapper.optimizer
    assert (optimizer.type, optimizer.lr, optimizer.momentum,
            optimizer.weight_decay) == ('SGD', 0.01, 0.9, 5e-3)
    # weight decay on every parameter, the masks included (the authors')
    assert 'paramwise_cfg' not in cfg.optim_wrapper
    epochs, milestones = ((150, [50, 100]) if name in FINETUNE else
                          (50, [20, 40]))
    assert cfg.train_cfg.max_epochs == epochs
    assert cfg.param_scheduler.milestones == milestones
    assert cfg.param_scheduler.gamma == 0.1
    assert cfg.train_dataloader.batch_size == 256
    train, val, test = (cfg[k].dataset for k in ('train_dataloader',
                                                  'val_dataloader',
                                                  'test_dataloader'))
    # the model is chosen on 10 % of the training split, never on the test
    assert (train.split, train.subset, train.val_fraction) == ('train',
                                                               'train', 0.1)
    assert (val.split, val.subset, val.val_fraction) == ('train', 'val', 0.1)
    assert train.seed == val.seed
    assert test.split == 'test' and test.get('subset', 'all') == 'all'
    assert cfg.default_hooks.checkpoint.save_best == 'auto'
    if name in KD:
        assert cfg.model.architecture.head.loss.loss_weight == 0.6
        kd = cfg.model.distiller.distill_losses.loss_kd
        assert (kd.type, kd.tau, kd.loss_weight) == ('KLDivergence', 3, 0.4)
        assert kd.get('reduction', 'batchmean') == 'batchmean'
    elif name in AS_RUN:
        assert 'teacher' not in cfg.model
        assert cfg.model.head.loss.loss_weight == 0.6
    else:
        assert cfg.model.backbone.use_masks is False


def test_kd_term_is_correct_where_the_authors_is_nan():
    torch.manual_seed(0)
    s, t = torch.randn(5, 10), torch.randn(5, 10)
    loss = MODELS.build(load(KD[0]).model.distiller.distill_losses.loss_kd)
    # naive: 0.4 * T^2 * mean over rows of sum_c p_t (log p_t - log p_s)
    p_t = torch.softmax(t / 3, 1)
    naive = 0.4 * 9 * (p_t * (p_t.log() - torch.log_softmax(s / 3, 1))).sum(
        1).mean()
    torch.testing.assert_close(loss(s, t), naive)
    # the authors' term: log-probabilities as the target without
    # log_target=True, log of negative numbers -> NaN on current PyTorch
    theirs = F.kl_div(F.log_softmax(s / 3, 1), F.log_softmax(t / 3, 1))
    assert torch.isnan(theirs)


@pytest.mark.parametrize('kd,finetune_widths', [
    (KD[0], dict(block2=20, block8=33, block4_mid=7)),
    (KD[1], dict(block2_1=100, block4_1=300)),
])
def test_one_pdd_iteration_prune_and_one_finetune_iteration(
        kd, finetune_widths, cifar_root, tmp_path):
    from tools.model_converters.pdd_prune import main as pdd_prune
    path = osp.join(PDD, kd)
    cfg = tiny_run_cfg(path, cifar_root, str(tmp_path / 'pdd'))
    cfg.train_cfg.val_interval = 1
    cfg.val_dataloader.batch_size = 20
    cfg.default_hooks.checkpoint.update(save_best='auto', rule='greater')
    runner = Runner.from_cfg(cfg)
    assert len(runner.train_dataloader.dataset) == 180
    masks = {k: v.clone() for k, v in student_of(runner.model).state_dict()
             .items() if 'pdd_masks' in k}
    runner.train()
    state = student_of(runner.model).state_dict()
    assert any(not torch.equal(v, state[k]) for k, v in masks.items())
    # validated on the 20 held-out training images, best checkpoint kept
    assert len(runner.val_dataloader.dataset) == 20
    best = glob.glob(str(tmp_path / 'pdd' / 'best_accuracy_top1_iter_1.pth'))
    assert best, 'the held-out top-1 chooses the checkpoint'

    # close channels for sure (one iteration may close any number)
    ckpt = torch.load(best[0], map_location='cpu', weights_only=False)
    for group, width in finetune_widths.items():
        m = ckpt['state_dict'][f'architecture.backbone.pdd_masks.{group}.m']
        m.fill_(1.0)
        m[width:] = -1.0
    torch.save(ckpt, best[0])
    out = str(tmp_path / 'pruned')
    report = pdd_prune([path, best[0], out])
    for group, width in finetune_widths.items():
        assert report['group_widths'][group] == width
    assert report['params_after'] < report['params_before']
    assert report['params_before'] == (339034 if 'r20' in kd else 9756426)
    assert report['thop_flops_removed'] != report['flops_removed']

    ft_cfg = tiny_run_cfg(
        osp.join(out, 'finetune.py'), cifar_root, str(tmp_path / 'ft'))
    ft_runner = Runner.from_cfg(ft_cfg)
    ft_runner.train()
    assert osp.exists(str(tmp_path / 'ft' / 'iter_1.pth'))
    assert not hasattr(ft_runner.model.backbone, 'pdd_masks')
