"""The seed summariser on hand-written work dirs: last and best epoch, a
resumed run, mean and sample std by hand, crashed / unfinished / missing
seeds reported and left out of the mean."""
import json
import math
import os

import pytest
import yaml

from mmdccd.experiments.results import (markdown_row, mean_std,
                                        metafile_result, read_val_history,
                                        summarize)
from mmdccd.experiments.seed_settings import SETTINGS_RECORD
from mmdccd.experiments.seeds import RUN_RECORD

#: The settings record of the hand-written runs (3 epochs, as the config).
SETTINGS = dict(
    config='configs/dccd/r56_r20_c100.py', cfg_options=[], train_args=[],
    processes_per_run=1, config_sha256='a' * 64,
    schedule=dict(unit='epochs', length=3, config_length=3),
    teacher_ckpt='teacher.pth', teacher_ckpt_sha256='b' * 64)


def write_seed(root, seed, evaluations, returncode=0, stamp='20260101_000000',
               settings=SETTINGS):
    """A work dir with mmengine's scalars.json: training lines and one
    ``accuracy/top1`` line an evaluation (epoch, top-1); and the settings
    record (none with ``settings=None``)."""
    work_dir = os.path.join(root, f'seed_{seed}')
    vis = os.path.join(work_dir, stamp, 'vis_data')
    os.makedirs(vis, exist_ok=True)
    with open(os.path.join(vis, 'scalars.json'), 'a') as f:
        for epoch, top1 in evaluations:
            f.write(json.dumps(dict(loss=1.0, epoch=epoch, step=epoch)) + '\n')
            f.write(json.dumps({'accuracy/top1': top1,
                                'teacher.accuracy/top1': 99.0,
                                'step': epoch}) + '\n')
    if returncode is not None:
        with open(os.path.join(work_dir, RUN_RECORD), 'w') as f:
            json.dump(dict(seed=seed, returncode=returncode), f)
    if settings is not None:
        with open(os.path.join(work_dir, SETTINGS_RECORD), 'w') as f:
            json.dump(settings, f)
    return work_dir


def test_history_of_a_resumed_run(tmp_path):
    root = str(tmp_path)
    write_seed(root, 0, [(1, 50.0), (2, 60.0)], None, '20260101_000000')
    # resumed from epoch 1: epoch 2 evaluated again, then 3
    work_dir = write_seed(root, 0, [(2, 61.0), (3, 58.0)], 0,
                          '20260101_010000')
    assert read_val_history(work_dir) == {1: 50.0, 2: 61.0, 3: 58.0}
    assert read_val_history(work_dir, 'teacher.accuracy/top1') == {
        1: 99.0, 2: 99.0, 3: 99.0}


def test_summary_by_hand(tmp_path):
    root = str(tmp_path)
    write_seed(root, 0, [(1, 50.0), (2, 62.0), (3, 60.0)])  # last 60 best 62
    write_seed(root, 1, [(1, 55.0), (2, 58.0), (3, 64.0)])  # last 64 best 64
    write_seed(root, 2, [(1, 70.0)], returncode=1)  # crashed
    write_seed(root, 3, [(1, 80.0)], returncode=None)  # no exit recorded
    summary = summarize(root, seeds=[0, 1, 2, 3, 4])  # 4 never started
    assert summary['last'] == dict(mean=62.0, std=math.sqrt(8.0), n=2)
    assert summary['best'] == dict(mean=63.0, std=math.sqrt(2.0), n=2)
    assert summary['not_averaged'] == {2: 'crashed', 3: 'incomplete',
                                       4: 'missing'}
    first = summary['seeds'][0]
    assert (first['last_epoch'], first['best'], first['best_epoch']) == (3,
                                                                         62.0,
                                                                         2)
    row = markdown_row(summary, 'DCCD r56 -> r20', '../dccd/r56_r20_c100.py')
    assert row == ('| DCCD r56 -> r20 | 62.00 ± 2.83 | 63.00 ± 1.41 | '
                   '2 seeds (0, 1); not averaged: 2 crashed, 3 incomplete, '
                   '4 missing | [config](../dccd/r56_r20_c100.py) |')
    item = yaml.safe_load(metafile_result(summary))[0]
    assert item['Metrics'] == {'Top 1 Accuracy': 62.0,
                               'Top 1 Accuracy (best epoch, test set)': 63.0}
    assert 'not averaged: 2 crashed' in item['Note']
    # the seeds found on disk, when none are named: 4 is not known then
    assert [r['seed'] for r in summarize(root)['seeds']] == [0, 1, 2, 3]


def test_edge_cases(tmp_path):
    assert mean_std([]) == dict(mean=None, std=None, n=0)
    assert mean_std([70.0]) == dict(mean=70.0, std=None, n=1)
    with pytest.raises(ValueError, match='No seed_<s> work dirs'):
        summarize(str(tmp_path))
    write_seed(str(tmp_path), 0, [(1, 10.0)], returncode=1)
    summary = summarize(str(tmp_path))
    assert summary['last']['mean'] is None
    with pytest.raises(ValueError, match='No finished seed'):
        metafile_result(summary)


def test_unknown_settings_are_not_averaged(tmp_path):
    root = str(tmp_path)
    write_seed(root, 0, [(3, 60.0)])
    write_seed(root, 1, [(3, 70.0)], settings=None)  # an older run
    summary = summarize(root)
    assert summary['last'] == dict(mean=60.0, std=None, n=1)
    assert summary['not_averaged'] == {1: 'settings unknown'}


def test_different_settings_are_refused(tmp_path):
    root = str(tmp_path)
    smoke = dict(SETTINGS, cfg_options=['train_cfg.max_epochs=2'],
                 config_sha256='c' * 64,
                 schedule=dict(unit='epochs', length=2, config_length=3))
    write_seed(root, 0, [(1, 20.0), (2, 30.0)], settings=smoke)
    write_seed(root, 1, [(3, 70.0)])
    with pytest.raises(ValueError) as error:
        summarize(root)
    assert str(error.value) == (
        'the finished seeds ran with different settings; their mean would '
        'mix them:\n'
        '  seeds 0: configs/dccd/r56_r20_c100.py with '
        'train_cfg.max_epochs=2; 2 epochs (the config says 3); teacher '
        'teacher.pth (sha256 bbbbbbbbbbbb)\n'
        '  seeds 1: configs/dccd/r56_r20_c100.py; 3 epochs as in the '
        'config; teacher teacher.pth (sha256 bbbbbbbbbbbb)\n'
        '  differs: resolved config: configs/dccd/r56_r20_c100.py with '
        "['train_cfg.max_epochs=2'] vs configs/dccd/r56_r20_c100.py with "
        '[]\n'
        'Expected one setting a summary: summarise each group with --seeds, '
        'or rerun the others with tools/run_seeds.py --force.')
    # each group on its own: the short one says so in its row
    summary = summarize(root, seeds=[0])
    row = markdown_row(summary, 'smoke', 'c.py')
    assert row == ('| smoke | 30.00 | 30.00 | 1 seed (0), 2 of the '
                   "config's 3 epochs | [config](c.py) |")
