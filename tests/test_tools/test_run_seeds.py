"""tools/run_seeds.py and tools/analysis_tools/summarize_seeds.py on a tiny
classifier: two seeds of two iterations each side by side, a seed that
crashes (its resume checkpoint is no training checkpoint) and one never
run; the summary's numbers are checked against mmengine's text logs, and
its settings line against the overrides. Then the user's next step, the
documented command without the 2-iteration override, is refused."""
import glob
import os
import os.path as osp
import re

import pytest
import torch

from mmdccd.experiments.seed_settings import seed_settings, write_settings
from mmdccd.experiments.seeds import SeedSettingsError, progress_line
from tests.utils import (config_path, data_root_options, load_tool,
                         make_image_folder)

run_seeds = load_tool('run_seeds.py')
summarize_seeds = load_tool('analysis_tools/summarize_seeds.py')

CONFIG = config_path('tiny_student_cls.py')


def logged_top1(work_dir):
    """Top-1 of every evaluation, from the text log (not scalars.json)."""
    (log, ) = glob.glob(osp.join(work_dir, '*', '*.log'))
    with open(log) as f:
        text = f.read()
    return [float(v) for v in re.findall(
        r'Iter\(val\) \[\d+/\d+\]\s+accuracy/top1: ([\d.]+)', text)]


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('seeds')
    data_root = make_image_folder(str(tmp / 'data'))
    root = str(tmp / 'runs')
    options = [*data_root_options(data_root), 'train_cfg.max_iters=2',
               'train_cfg.val_interval=1']
    # seed 2's work dir holds a run of these settings whose checkpoint is
    # no training checkpoint (weights alone, no meta): --resume fails on it
    os.makedirs(osp.join(root, 'seed_2'))
    write_settings(osp.join(root, 'seed_2'), seed_settings(CONFIG, options))
    torch.save(dict(state_dict={}), osp.join(root, 'seed_2', 'iter_1.pth'))
    with open(osp.join(root, 'seed_2', 'last_checkpoint'), 'w') as f:
        f.write(osp.join(root, 'seed_2', 'iter_1.pth'))
    statuses = run_seeds.main([
        CONFIG, '--seeds', '0', '1', '2', '--gpus', '3', '--work-dir', root,
        '--cfg-options', *options
    ])
    return dict(root=root, statuses=statuses, data_root=data_root)


def test_runs_and_crash(runs):
    assert runs['statuses'] == {0: 'finished', 1: 'finished', 2: 'crashed'}
    for seed in (0, 1):
        assert osp.isfile(osp.join(runs['root'], f'seed_{seed}',
                                   'iter_2.pth'))
    with open(osp.join(runs['root'], 'seed_2', 'run_1.log')) as f:
        assert 'iter_1.pth' in f.read()
    # what the console shows of a running seed, from mmengine's real lines
    with open(osp.join(runs['root'], 'seed_0', 'run_1.log')) as f:
        assert re.fullmatch(r'Iter\(train\) \[2/2\] eta: 0:00:00',
                            progress_line(f.read()))


def test_summary_reports_the_crash_and_the_missing_seed(runs, capsys):
    root = runs['root']
    summary = summarize_seeds.main([
        root, '--seeds', '0', '1', '2', '3', '--name', 'tiny', '--config',
        'tiny_student_cls.py'
    ])
    out = capsys.readouterr().out
    assert summary['not_averaged'] == {2: 'crashed', 3: 'missing'}
    last, best = [], []
    for seed in (0, 1):
        top1 = logged_top1(osp.join(root, f'seed_{seed}'))
        assert len(top1) == 2  # iterations 1 and 2
        last.append(top1[-1])
        best.append(max(top1))
    mean = sum(last) / 2
    assert summary['last']['mean'] == pytest.approx(mean, abs=1e-3)
    assert summary['last']['std'] == pytest.approx(
        abs(last[0] - last[1]) / 2**0.5, abs=1e-3)
    assert summary['best']['mean'] == pytest.approx(sum(best) / 2, abs=1e-3)
    assert f'| tiny | {mean:.2f} ± ' in out
    assert 'not averaged: 2 crashed, 3 missing' in out
    with open(osp.join(root, 'summary.md')) as f:
        assert 'best epoch (max over epochs of the test-set top-1)' in f.read()

    assert f'Settings: {CONFIG} with ' in out
    assert ('train_cfg.max_iters=2 train_cfg.val_interval=1; 2 iterations '
            '(the config says 4)') in out
    assert "2 seeds (0, 1), 2 of the config's 4 iterations; not averaged" \
        in out


def test_the_full_command_after_a_smoke_run_is_refused(runs):
    root = runs['root']
    with pytest.raises(SeedSettingsError) as error:
        run_seeds.main([
            CONFIG, '--seeds', '0', '1', '--work-dir', root, '--cfg-options',
            *data_root_options(runs['data_root'])
        ])
    message = str(error.value)
    assert message.startswith(f'{root} holds runs of other settings')
    assert "'train_cfg.max_iters=2', 'train_cfg.val_interval=1'] vs" in \
        message
    assert message.endswith('Give these runs their own --work-dir, or pass '
                            '--force to start seeds 0 1 over (their work '
                            'dirs are moved aside).')
    assert not glob.glob(osp.join(root, 'seed_0', 'run_2.log'))
