"""Checkpoints that cannot run code and survive a crash mid-save
(mmdccd.utils.checkpoint, applied to mmengine by mmdccd.compat fix 4)."""
import collections
import os
import os.path as osp

import mmdccd  # noqa: F401  (applies mmdccd.compat)
import numpy as np
import pytest
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import HistoryBuffer
from mmengine.runner import load_checkpoint

from mmdccd.utils import checkpoint as ckpt
from tests import utils
from tests.utils import toy_model, write_malicious


def toy_runner(work_dir: str, max_iters: int, resume: bool = False,
               max_keep_ckpts: int = -1):
    """The toy run with an lr that drops x0.1 after iteration 1."""
    return utils.toy_runner(
        work_dir, max_iters, max_keep_ckpts=max_keep_ckpts, resume=resume,
        param_scheduler=dict(type='MultiStepLR', by_epoch=False,
                             milestones=[1]))


def test_weights_only_form_round_trip(tmp_path):
    buffer = HistoryBuffer([0.5, 0.25], [1, 2], max_length=7)
    obj = collections.OrderedDict(
        buffer=buffer,
        array=np.arange(3.0),
        scalar=np.float64(0.75),
        counter=collections.Counter({3: 1, 5: 2}),
        nested=[(np.int64(4), 'text')])
    plain = ckpt.to_weights_only(obj)
    assert isinstance(obj['buffer'], HistoryBuffer)  # input untouched
    path = str(tmp_path / 'plain.pth')
    torch.save(plain, path)
    back = ckpt.from_weights_only(torch.load(path, weights_only=True))
    assert isinstance(back['buffer'], HistoryBuffer)
    assert back['buffer'].max_length == 7
    np.testing.assert_array_equal(back['buffer'].data[0], [0.5, 0.25])
    np.testing.assert_array_equal(back['buffer'].data[1], [1, 2])
    assert back['buffer'].mean() == pytest.approx(0.75 / 3)  # count-weighted
    np.testing.assert_array_equal(back['array'], [0.0, 1.0, 2.0])
    assert back['scalar'] == 0.75 and type(back['scalar']) is float
    assert back['counter'] == collections.Counter({3: 1, 5: 2})
    assert type(back['counter']) is collections.Counter
    assert back['nested'] == [(4, 'text')]


def test_legacy_pickle_needs_the_opt_in(tmp_path, monkeypatch):
    path = str(tmp_path / 'legacy.pth')
    torch.save(dict(state_dict={}, buffer=HistoryBuffer([1.0], [1])), path)
    monkeypatch.delenv(ckpt.ALLOW_PICKLE_ENV, raising=False)
    with pytest.raises(ckpt.UntrustedCheckpointError) as error:
        ckpt.load_checkpoint_file(path)
    message = str(error.value)
    assert path in message
    assert '--allow-pickle' in message and 'MMDCCD_ALLOW_PICKLE=1' in message

    monkeypatch.setenv(ckpt.ALLOW_PICKLE_ENV, '1')
    with pytest.warns(UserWarning, match='weights_only=False'):
        loaded = ckpt.load_checkpoint_file(path)
    assert loaded['buffer'].current() == 1.0

    monkeypatch.delenv(ckpt.ALLOW_PICKLE_ENV)
    with ckpt.trusted_resume(), pytest.warns(UserWarning):
        assert ckpt.load_checkpoint_file(path)['buffer'].current() == 1.0
    with pytest.raises(ckpt.UntrustedCheckpointError):
        ckpt.load_checkpoint_file(path)  # the context is over


def test_code_in_checkpoint_is_not_run_by_load_from(tmp_path, monkeypatch):
    monkeypatch.delenv(ckpt.ALLOW_PICKLE_ENV, raising=False)
    marker = str(tmp_path / 'ran')
    path = write_malicious(str(tmp_path / 'evil.pth'), marker)
    # load_from and tools/test.py go through mmengine's load_checkpoint
    with pytest.raises(ckpt.UntrustedCheckpointError, match='evil.pth'):
        load_checkpoint(toy_model(), path, map_location='cpu')
    with pytest.raises(ckpt.UntrustedCheckpointError):
        toy_runner(str(tmp_path / 'run'), 1).load_checkpoint(path)
    assert not osp.exists(marker)
    # the marker shows the payload is real
    torch.load(path, weights_only=False)
    assert osp.isdir(marker)


def test_runner_resume_loads_weights_only(tmp_path):
    work_dir = str(tmp_path)
    toy_runner(work_dir, 2).train()
    # written in the plain form: resume needs no unpickling
    plain = torch.load(osp.join(work_dir, 'iter_2.pth'), weights_only=True)
    assert plain['meta']['iter'] == 2
    runner = toy_runner(work_dir, 3, resume=True)
    runner.load_or_resume()
    assert runner.iter == 2
    lr = runner.optim_wrapper.optimizer.param_groups[0]['lr']
    assert lr == pytest.approx(0.01)  # 0.1 x 0.1 after milestone 1
    loss = runner.message_hub.get_scalar('train/loss')
    np.testing.assert_allclose(
        loss.data[0],
        plain['message_hub']['log_scalars']['train/loss']
        ['log_history'].numpy())


def kill_mid_save(monkeypatch, name):
    """Make the save of the checkpoint file ``name`` die after half of its
    bytes (the moment before ``os.replace`` puts it in place); returns the
    real ``os.replace``."""
    real_replace = os.replace

    def killed(src, dst):
        if osp.basename(dst) == name:
            with open(src, 'r+b') as f:
                f.truncate(osp.getsize(src) // 2)
            raise KeyboardInterrupt('killed mid-save')
        real_replace(src, dst)

    monkeypatch.setattr(ckpt.os, 'replace', killed)
    return real_replace


def test_kill_mid_save_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    work_dir = str(tmp_path)
    toy_runner(work_dir, 1, max_keep_ckpts=1).train()
    first = osp.join(work_dir, 'iter_1.pth')
    assert open(osp.join(work_dir, 'last_checkpoint')).read() == first

    real_replace = kill_mid_save(monkeypatch, 'iter_2.pth')
    with pytest.raises(KeyboardInterrupt):
        toy_runner(work_dir, 2, resume=True, max_keep_ckpts=1).train()
    monkeypatch.setattr(ckpt.os, 'replace', real_replace)
    # nothing half-written in place; the old checkpoint and its record stay
    assert not osp.exists(osp.join(work_dir, 'iter_2.pth'))
    assert ckpt.is_complete_checkpoint(first)
    assert open(osp.join(work_dir, 'last_checkpoint')).read() == first
    assert not [f for f in os.listdir(work_dir) if '.tmp' in f]

    runner = toy_runner(work_dir, 2, resume=True, max_keep_ckpts=1)
    runner.train()
    assert runner.iter == 2
    # the old checkpoint went only once the new one was complete
    assert sorted(f for f in os.listdir(work_dir) if f.endswith('.pth')) \
        == ['iter_2.pth']


def test_auto_resume_falls_back_to_newest_complete(tmp_path):
    work_dir = str(tmp_path)
    toy_runner(work_dir, 2).train()
    newest = osp.join(work_dir, 'iter_2.pth')
    with open(newest, 'r+b') as f:  # a crash of an unpatched writer
        f.truncate(osp.getsize(newest) // 3)
    assert not ckpt.is_complete_checkpoint(newest)
    with pytest.warns(UserWarning, match='iter_1.pth'):
        found = ckpt.find_latest_loadable_checkpoint(work_dir)
    assert found == osp.join(work_dir, 'iter_1.pth')
    runner = toy_runner(work_dir, 3, resume=True)
    with pytest.warns(UserWarning, match='newest complete'):
        runner.load_or_resume()
    assert runner.iter == 1


def test_no_checkpoint_means_no_resume(tmp_path):
    assert ckpt.find_latest_loadable_checkpoint(str(tmp_path)) is None


def test_allow_pickle_flag_sets_the_variable(monkeypatch):
    import argparse
    monkeypatch.delenv(ckpt.ALLOW_PICKLE_ENV, raising=False)
    parser = argparse.ArgumentParser()
    ckpt.add_allow_pickle_argument(parser)
    assert parser.parse_args([]).allow_pickle is False
    assert not ckpt.pickle_allowed()
    assert parser.parse_args(['--allow-pickle']).allow_pickle is True
    assert os.environ[ckpt.ALLOW_PICKLE_ENV] == '1' and ckpt.pickle_allowed()


class RisingScore(BaseMetric):
    """A validation metric whose score rises at every evaluation, so that
    every validation writes a new best checkpoint."""

    def __init__(self):
        super().__init__()
        self.evaluations = 0

    def process(self, data_batch, data_samples):
        self.results.append(0)

    def compute_metrics(self, results):
        self.evaluations += 1
        return dict(score=float(self.evaluations))


def best_runner(work_dir, max_iters, save_best='score', **kwargs):
    """A toy run that validates and saves the best checkpoint (``score``,
    greater is better; none with ``save_best=None``) at every iteration."""
    return utils.toy_runner(
        work_dir,
        max_iters,
        val_dataloader=dict(
            dataset=[dict(inputs=torch.ones(2))] * 2,
            sampler=dict(type='DefaultSampler', shuffle=False),
            batch_size=2,
            collate_fn=dict(type='pseudo_collate')),
        val_cfg=dict(),
        val_evaluator=[RisingScore()],
        checkpoint_kwargs=dict(save_best=save_best, rule='greater'),
        val_interval=1,
        **kwargs)


def best_files(work_dir):
    return sorted(f for f in os.listdir(work_dir) if f.startswith('best_'))


def test_save_best_removes_the_old_best_after_the_new_one(tmp_path):
    work_dir = str(tmp_path)
    runner = best_runner(work_dir, 3)
    runner.train()
    assert runner.val_evaluator.metrics[0].evaluations == 3
    # one best checkpoint, the last evaluation's (the score rose every time)
    assert best_files(work_dir) == ['best_score_iter_3.pth']
    assert ckpt.is_complete_checkpoint(
        osp.join(work_dir, 'best_score_iter_3.pth'))


def test_validation_without_save_best(tmp_path):
    runner = best_runner(str(tmp_path), 2, save_best=None)
    runner.train()
    assert runner.iter == 2 and runner.val_evaluator.metrics[0].evaluations
    assert best_files(str(tmp_path)) == []


@pytest.mark.parametrize('fixed', [True, False])
def test_crash_mid_save_best_keeps_the_previous_best(tmp_path, monkeypatch,
                                                      fixed):
    from mmengine.hooks import CheckpointHook
    if not fixed:  # mmengine's own order: remove the old best, then save
        monkeypatch.setattr(CheckpointHook, '_save_best_checkpoint',
                            CheckpointHook._save_best_checkpoint.__wrapped__)
    work_dir = str(tmp_path)
    kill_mid_save(monkeypatch, 'best_score_iter_2.pth')
    with pytest.raises(KeyboardInterrupt):
        best_runner(work_dir, 2).train()
    if fixed:
        # the previous best stays, complete, until a new one is in place
        assert best_files(work_dir) == ['best_score_iter_1.pth']
        assert ckpt.is_complete_checkpoint(
            osp.join(work_dir, 'best_score_iter_1.pth'))
    else:
        assert best_files(work_dir) == []
