"""The seed runner: GPU slots, command lines, parallel runs on separate
GPUs, finished seeds skipped, crashed ones recorded and retried."""
import json
import os.path as osp
import sys
import textwrap

import pytest

from mmdccd.experiments.seeds import (RUN_RECORD, gpu_slots, read_run_record,
                                      run_seeds, seed_status, seed_work_dir,
                                      train_command)

#: Stands in for tools/train.py: records its arguments and environment and
#: exits with the status in the file named by --cfg-options exit=...
FAKE_TRAIN = textwrap.dedent('''
    import json, os, sys, time
    args = sys.argv[1:]
    work_dir = args[args.index('--work-dir') + 1]
    options = dict(o.split('=', 1) for o in args[args.index('--cfg-options')
                                              + 1:])
    time.sleep(0.3)
    with open(os.path.join(work_dir, 'calls.jsonl'), 'a') as f:
        f.write(json.dumps(dict(args=args, cuda=os.environ.get(
            'CUDA_VISIBLE_DEVICES'), t=time.time())) + '\\n')
    seed = int(options['randomness.seed'])
    sys.exit(1 if str(seed) in options.get('crash', '').split(',') else 0)
''')


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


def test_parallel_skip_and_crash(tmp_path):
    script = tmp_path / 'fake_train.py'
    script.write_text(FAKE_TRAIN)
    root = str(tmp_path / 'runs')
    lines = []
    statuses = run_seeds('cfg.py', [0, 1, 2, 3], root, num_gpus=2,
                         train_script=str(script), python=sys.executable,
                         cfg_options=['crash=2'], poll_s=0.05,
                         log=lines.append)
    assert statuses == {0: 'finished', 1: 'finished', 2: 'crashed',
                        3: 'finished'}
    calls = {}
    for seed in range(4):
        with open(osp.join(seed_work_dir(root, seed), 'calls.jsonl')) as f:
            calls[seed] = [json.loads(line) for line in f]
        assert len(calls[seed]) == 1
        assert f'randomness.seed={seed}' in calls[seed][0]['args']
    # two GPUs: seeds 0 and 1 start together, each alone on its GPU
    assert {calls[0][0]['cuda'], calls[1][0]['cuda']} == {'0', '1'}
    assert abs(calls[0][0]['t'] - calls[1][0]['t']) < 0.25
    assert read_run_record(seed_work_dir(root, 2))['returncode'] == 1
    assert lines[-1] == f'3 of 4 seeds finished in {root}'

    # again, without the crash: only seed 2 runs (with --resume)
    lines.clear()
    statuses = run_seeds('cfg.py', [0, 1, 2, 3], root, num_gpus=0,
                         train_script=str(script), python=sys.executable,
                         poll_s=0.05, log=lines.append)
    assert set(statuses.values()) == {'finished'}
    assert sum('skipped' in line for line in lines) == 3
    with open(osp.join(seed_work_dir(root, 2), 'calls.jsonl')) as f:
        retry = [json.loads(line) for line in f][-1]
    assert '--resume' in retry['args'] and retry['cuda'] is None
    for seed in (0, 1, 3):
        with open(osp.join(seed_work_dir(root, seed), 'calls.jsonl')) as f:
            assert len(f.readlines()) == 1


def test_status(tmp_path):
    work_dir = str(tmp_path / 'seed_0')
    assert seed_status(work_dir) == 'missing'
    (tmp_path / 'seed_0').mkdir()
    assert seed_status(work_dir) == 'incomplete'
    (tmp_path / 'seed_0' / RUN_RECORD).write_text('{"returncode": -9}')
    assert seed_status(work_dir) == 'crashed'
