"""The seed runner: GPU slots, command lines, parallel runs on separate
GPUs, finished seeds of the same settings skipped, other settings refused,
crashed runs recorded, shown and retried, progress on the console."""
import glob
import json
import os
import os.path as osp
import sys
import textwrap

import pytest

from mmdccd.experiments.seed_settings import read_settings
from mmdccd.experiments.seeds import (RUN_RECORD, SeedSettingsError,
                                      gpu_slots, read_run_record, run_seeds,
                                      seed_status, seed_work_dir,
                                      train_command)
from tests.utils import config_path

#: Stands in for tools/train.py: records its arguments and environment,
#: prints two mmengine training lines and exits 1 (after a traceback) for
#: the seeds in $FAKE_CRASH, else 0.
FAKE_TRAIN = textwrap.dedent('''
    import json, os, sys, time
    args = sys.argv[1:]
    work_dir = args[args.index('--work-dir') + 1]
    options = dict(o.split('=', 1) for o in args[args.index('--cfg-options')
                                              + 1:])
    seed = int(options['randomness.seed'])
    with open(os.path.join(work_dir, 'calls.jsonl'), 'a') as f:
        f.write(json.dumps(dict(args=args, cuda=os.environ.get(
            'CUDA_VISIBLE_DEVICES'), t=time.time())) + '\\n')
    for it in (1, 2):
        print(f'12/03 18:00:0{it} - mmengine - INFO - Iter(train) [{it}/2]  '
              f'lr: 1.0000e-01  eta: 0:00:0{2 - it}  time: 0.1  loss: 0.5',
              flush=True)
        time.sleep(0.3)
    if str(seed) in os.environ.get('FAKE_CRASH', '').split(','):
        print('Traceback (most recent call last):')
        print('  File "tools/train.py", line 1, in <module>')
        print(f'ValueError: seed {seed} cannot train')
        sys.exit(1)
''')
CONFIG = config_path('tiny_student_cls.py')


@pytest.fixture
def fake_train(tmp_path):
    script = tmp_path / 'fake_train.py'
    script.write_text(FAKE_TRAIN)
    return str(script)


def calls(root, seed):
    with open(osp.join(seed_work_dir(root, seed), 'calls.jsonl')) as f:
        return [json.loads(line) for line in f]


def test_gpu_slots():
    assert gpu_slots(0) == [()]
    assert gpu_slots(4) == [(0, ), (1, ), (2, ), (3, )]
    assert gpu_slots(4, 2) == [(0, 1), (2, 3)]
    with pytest.raises(ValueError, match='multiple of gpus_per_run'):
        gpu_slots(4, 3)


def test_train_command():
    one = train_command('a.py', 'w/seed_3', 3, (1, ), 'T.py', 'D.sh', 'py',
                        ['--amp'], ['x=1'])
    assert one == ['py', 'T.py', 'a.py', '--work-dir', 'w/seed_3', '--resume',
                   '--amp', '--cfg-options', 'randomness.seed=3', 'x=1']
    two = train_command('a.py', 'w/seed_3', 3, (0, 1), 'T.py', 'D.sh')
    assert two[:4] == ['bash', 'D.sh', 'a.py', '2']
    assert two[-2:] == ['--cfg-options', 'randomness.seed=3']


def test_parallel_skip_and_crash(tmp_path, fake_train, monkeypatch):
    root = str(tmp_path / 'runs')
    lines = []
    monkeypatch.setenv('FAKE_CRASH', '2')
    statuses = run_seeds(CONFIG, [0, 1, 2, 3], root, num_gpus=2,
                         train_script=fake_train, python=sys.executable,
                         poll_s=0.05, log=lines.append)
    assert statuses == {0: 'finished', 1: 'finished', 2: 'crashed',
                        3: 'finished'}
    runs = {seed: calls(root, seed) for seed in range(4)}
    for seed in range(4):
        assert len(runs[seed]) == 1
        assert f'randomness.seed={seed}' in runs[seed][0]['args']
    # two GPUs: seeds 0 and 1 start together, each alone on its GPU
    assert {runs[0][0]['cuda'], runs[1][0]['cuda']} == {'0', '1'}
    assert abs(runs[0][0]['t'] - runs[1][0]['t']) < 0.25
    assert read_run_record(seed_work_dir(root, 2))['returncode'] == 1
    assert lines[-1] == f'3 of 4 seeds finished in {root}'
    # progress on the console; the failure's last lines and its log
    assert 'seed 0: Iter(train) [1/2] eta: 0:00:01' in lines
    log_2 = osp.join(seed_work_dir(root, 2), 'run_1.log')
    (report, ) = [line for line in lines if 'exit status 1' in line]
    assert report.startswith('seed 2: exit status 1 after ')
    assert report.endswith('\n    ValueError: seed 2 cannot train\n'
                           f'seed 2: full log {log_2}')

    # again, without the crash: only seed 2 runs (with --resume), in its
    # own log; the first attempt's log keeps its traceback
    lines.clear()
    monkeypatch.delenv('FAKE_CRASH')
    statuses = run_seeds(CONFIG, [0, 1, 2, 3], root, num_gpus=0,
                         train_script=fake_train, python=sys.executable,
                         poll_s=0.05, log=lines.append)
    assert set(statuses.values()) == {'finished'}
    assert sum('with the same settings, skipped' in line
               for line in lines) == 3
    retry = calls(root, 2)[-1]
    assert '--resume' in retry['args'] and retry['cuda'] is None
    for seed in (0, 1, 3):
        assert len(calls(root, seed)) == 1
    with open(log_2) as f:
        assert 'seed 2 cannot train' in f.read()
    with open(osp.join(seed_work_dir(root, 2), 'run_2.log')) as f:
        assert 'cannot train' not in f.read()


def test_a_failure_stops_new_seeds(tmp_path, fake_train, monkeypatch):
    root = str(tmp_path / 'runs')
    lines = []
    monkeypatch.setenv('FAKE_CRASH', '0')
    statuses = run_seeds(CONFIG, [0, 1, 2], root, train_script=fake_train,
                         poll_s=0.05, log=lines.append)
    assert statuses == {0: 'crashed', 1: 'missing', 2: 'missing'}
    assert 'not started after the failure of seed 0: seeds 1, 2 ' \
        '(--keep-going starts them regardless)' in lines
    statuses = run_seeds(CONFIG, [0, 1, 2], root, train_script=fake_train,
                         poll_s=0.05, log=lines.append, keep_going=True)
    assert statuses == {0: 'crashed', 1: 'finished', 2: 'finished'}
    assert len(calls(root, 0)) == 2


def test_other_settings_are_refused_never_mixed(tmp_path, fake_train):
    """The user's path: a 2-iteration smoke run, then the full command."""
    root = str(tmp_path / 'runs')
    smoke = ['train_cfg.max_iters=2']
    run_seeds(CONFIG, [0, 1], root, train_script=fake_train,
              cfg_options=smoke, poll_s=0.05, log=lambda line: None)
    os.makedirs(seed_work_dir(root, 2))  # a run of an older mmdccd
    with open(osp.join(seed_work_dir(root, 2), RUN_RECORD), 'w') as f:
        json.dump(dict(returncode=0), f)
    with pytest.raises(SeedSettingsError) as error:
        run_seeds(CONFIG, [0, 1, 2, 3], root, train_script=fake_train,
                  poll_s=0.05, log=lambda line: None)
    differs = (f'resolved config: {CONFIG} with '
               f"['train_cfg.max_iters=2'] vs {CONFIG} with []")
    assert str(error.value) == '\n'.join([
        f'{root} holds runs of other settings than these; they would be '
        'mixed with the new ones:', f'  seed 0: {differs}',
        f'  seed 1: {differs}',
        '  seed 2: settings unknown (finished, no seed_settings.json: a run '
        'of an older mmdccd or another tool)',
        'Expected every seed of a work root to have the same settings. '
        'Give these runs their own --work-dir, or pass --force to start '
        'seeds 0 1 2 over (their work dirs are moved aside).'
    ])
    assert not osp.exists(seed_work_dir(root, 3))  # nothing started
    assert [len(calls(root, s)) for s in (0, 1)] == [1, 1]

    lines = []
    statuses = run_seeds(CONFIG, [0, 1, 2, 3], root, train_script=fake_train,
                         poll_s=0.05, log=lines.append, force=True)
    assert set(statuses.values()) == {'finished'}
    for seed in range(4):  # all started over, the smoke runs moved aside
        assert len(calls(root, seed)) == 1
        assert '--cfg-options' in calls(root, seed)[0]['args']
        assert 'train_cfg.max_iters=2' not in calls(root, seed)[0]['args']
    assert len(glob.glob(osp.join(root, 'seed_0.replaced_*'))) == 1
    assert read_settings(seed_work_dir(root, 0))['cfg_options'] == []
    assert any(line.startswith('seed 2: settings unknown') and
               '--force: moved to' in line for line in lines)


def test_status(tmp_path):
    work_dir = str(tmp_path / 'seed_0')
    assert seed_status(work_dir) == 'missing'
    (tmp_path / 'seed_0').mkdir()
    assert seed_status(work_dir) == 'incomplete'
    (tmp_path / 'seed_0' / RUN_RECORD).write_text('{"returncode": -9}')
    assert seed_status(work_dir) == 'crashed'
