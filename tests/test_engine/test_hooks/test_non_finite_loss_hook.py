"""NonFiniteLossHook: the first NaN/inf loss term stops training with its
name, iteration and the last finite values, before a checkpoint of NaN
weights; all DDP ranks stop together; loss-scaler skips are not errors."""
import os
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
from mmengine.config import Config
from mmengine.model import BaseModel

import mmdccd  # noqa: F401
from mmdccd.engine.hooks import NonFiniteLossHook
from tests.utils import REPO_ROOT, free_port, toy_runner


class DivergesAtThirdStep(BaseModel):
    """``loss_a`` = w^2 stays finite; ``loss_b`` is 1, 2, then NaN."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.ones(1))
        self.steps = 0

    def forward(self, inputs, data_samples=None, mode='tensor'):
        self.steps += 1
        loss_b = torch.tensor(float('nan') if self.steps == 3 else
                              float(self.steps))
        return dict(loss_a=(self.w**2).sum(), loss_b=loss_b)


def test_runtime_base_turns_the_hook_on():
    cfg = Config.fromfile(
        osp.join(REPO_ROOT, 'configs', '_base_', 'default_runtime.py'))
    assert dict(type='NonFiniteLossHook') in cfg.custom_hooks


def test_nan_term_stops_training_before_its_checkpoint(tmp_path):
    runner = toy_runner(
        str(tmp_path),
        max_iters=5,
        model=DivergesAtThirdStep(),
        inputs=torch.ones(1),
        num_samples=8,
        batch_size=1,
        lr=0.25,
        custom_hooks=[dict(type='NonFiniteLossHook')])
    with pytest.raises(FloatingPointError) as error:
        runner.train()
    message = str(error.value)
    # the term is blamed, not the total; loss_a is finite
    assert 'iteration 3: loss_b = nan;' in message
    # the values of iteration 2, worked out by hand: w = 1 - 0.25 * 2 = 0.5
    # after step 1, so loss_a = 0.25, loss_b = 2, loss = 2.25
    assert 'last finite values (iteration 2): loss = 2.25, loss_a = 0.25, ' \
        'loss_b = 2' in message
    assert osp.isfile(tmp_path / 'iter_2.pth')
    assert not osp.exists(tmp_path / 'iter_3.pth')


class FakeScaler:

    def __init__(self, scale):
        self.scale = scale

    def get_scale(self):
        return self.scale


def test_a_step_the_loss_scaler_skips_is_not_an_error():
    scaler = FakeScaler(1024.0)
    runner = SimpleNamespace(
        iter=6, optim_wrapper=SimpleNamespace(loss_scaler=scaler))
    hook = NonFiniteLossHook()
    inf = dict(loss=torch.tensor(float('inf')))
    hook.before_train_iter(runner, 0)
    scaler.scale = 512.0  # GradScaler backs off: the step was skipped
    hook.after_train_iter(runner, 0, outputs=inf)
    hook.before_train_iter(runner, 1)  # the scale stays: not skipped
    with pytest.raises(FloatingPointError, match='iteration 7: loss = inf'):
        hook.after_train_iter(runner, 1, outputs=inf)


def _rank_worker(rank, port, out_dir):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    dist.init_process_group('gloo', rank=rank, world_size=2)
    runner = SimpleNamespace(iter=0, optim_wrapper=SimpleNamespace())
    hook = NonFiniteLossHook()
    value = float('nan') if rank == 1 else 1.0
    try:
        hook.after_train_iter(
            runner, 0, outputs=dict(loss=torch.tensor(value)))
        result = 'continued'
    except FloatingPointError as e:
        result = str(e)
    # a collective after the check: a rank that had stopped alone would
    # leave the other hanging here
    dist.barrier()
    with open(osp.join(out_dir, f'rank{rank}.txt'), 'w') as f:
        f.write(result)
    dist.destroy_process_group()


def test_ranks_agree_to_stop(tmp_path):
    # fork: the children need not import mmdccd again
    mp.start_processes(
        _rank_worker, args=(free_port(), str(tmp_path)), nprocs=2,
        start_method='fork')
    rank0 = (tmp_path / 'rank0.txt').read_text()
    rank1 = (tmp_path / 'rank1.txt').read_text()
    assert 'on another rank (rank 0 is finite)' in rank0
    assert 'iteration 1: loss = nan' in rank1
