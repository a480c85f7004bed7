"""tools/dist_train.sh runs two gloo processes on the CPU to the end; the
launch scripts pass OpenMMLab's environment defaults."""
import glob
import os
import os.path as osp
import stat

import pytest
import torch

from tests.utils import (REPO_ROOT, config_path, data_root_options,
                         free_port, run_tool, tool_env)


@pytest.mark.skipif(
    torch.cuda.is_available(), reason='checks the CPU (gloo) path')
def test_dist_train_two_cpu_processes(tmp_path, image_folder):
    work_dir = str(tmp_path / 'dist')
    env = tool_env({'PORT': str(free_port())})
    proc = run_tool([
        'tools/dist_train.sh',
        config_path('tiny_kd.py'), '2', '--work-dir', work_dir,
        '--cfg-options', *data_root_options(image_folder)
    ],
                    env=env,
                    timeout=180)
    assert proc.returncode == 0
    log = open(glob.glob(osp.join(work_dir, '*', '*.log'))[0]).read()
    assert 'Distributed training: True' in log
    assert 'GPU number: 2' in log  # mmengine's name for the world size
    assert "dist_cfg: {'backend': 'gloo'}" in log
    # 8 val images, batch 4, split over 2 ranks: 1 val iteration a rank
    # (a single process would log [2/2])
    assert 'Iter(val) [1/1]' in log
    assert 'Iter(train) [4/4]' in log
    checkpoint = torch.load(
        osp.join(work_dir, 'iter_4.pth'), map_location='cpu',
        weights_only=False)
    assert checkpoint['meta']['iter'] == 4
    assert f'Last checkpoint: {osp.join(work_dir, "iter_4.pth")}' \
        in proc.stdout


@pytest.mark.skipif(
    torch.cuda.is_available(), reason='checks the CPU (gloo) path')
def test_dist_test_two_cpu_processes(tmp_path, image_folder, tiny_kd_run):
    import mmengine
    out = str(tmp_path / 'preds.pkl')
    env = tool_env({'PORT': str(free_port())})
    proc = run_tool([
        'tools/dist_test.sh',
        config_path('tiny_kd.py'),
        osp.join(tiny_kd_run, 'iter_4.pth'), '2', '--work-dir',
        str(tmp_path / 'eval'), '--out', out, '--cfg-options',
        *data_root_options(image_folder)
    ],
                    env=env,
                    timeout=180)
    assert 'Iter(test) [1/1]' in proc.stdout  # 4 of the 8 images a rank
    # the predictions of both ranks are gathered into one file
    predictions = mmengine.load(out)
    assert sorted(p['sample_idx'] for p in predictions) == list(range(8))


def _fake_executable(path, name: str) -> str:
    """An executable that writes its arguments and PYTHONPATH, one a line."""
    exe = str(path / name)
    with open(exe, 'w') as f:
        f.write('#!/usr/bin/env bash\n'
                'printf "%s\\n" "$@" > "$0.args"\n'
                'echo "$PYTHONPATH" > "$0.pythonpath"\n')
    os.chmod(exe, os.stat(exe).st_mode | stat.S_IEXEC)
    return exe


def _clean_env(**extra) -> dict:
    env = tool_env(extra)
    for name in ('NNODES', 'NODE_RANK', 'PORT', 'MASTER_ADDR', 'GPUS',
                 'GPUS_PER_NODE', 'CPUS_PER_TASK', 'SRUN_ARGS'):
        env.pop(name, None)
    env.update(extra)
    return env


def test_dist_scripts_pass_torchrun_defaults(tmp_path):
    python = _fake_executable(tmp_path, 'python')
    run_tool(['tools/dist_train.sh', 'a.py', '3', '--amp'],
             env=_clean_env(PYTHON=python))
    args = open(python + '.args').read().split('\n')[:-1]
    tools = osp.join(REPO_ROOT, 'tools')
    assert args == [
        '-m', 'torch.distributed.run', '--nnodes=1', '--node_rank=0',
        '--master_addr=127.0.0.1', '--nproc_per_node=3',
        '--master_port=29500',
        osp.join(tools, 'train.py'), 'a.py', '--launcher', 'pytorch', '--amp'
    ]
    pythonpath = open(python + '.pythonpath').read().strip().split(':')
    assert osp.realpath(pythonpath[0]) == REPO_ROOT

    run_tool(['tools/dist_test.sh', 'a.py', 'c.pth', '2', '--out', 'r.pkl'],
             env=_clean_env(
                 PYTHON=python, NNODES='2', NODE_RANK='1',
                 MASTER_ADDR='10.0.0.1', PORT='1234'))
    args = open(python + '.args').read().split('\n')[:-1]
    assert args == [
        '-m', 'torch.distributed.run', '--nnodes=2', '--node_rank=1',
        '--master_addr=10.0.0.1', '--nproc_per_node=2', '--master_port=1234',
        osp.join(tools, 'test.py'), 'a.py', 'c.pth', '--launcher', 'pytorch',
        '--out', 'r.pkl'
    ]


def test_slurm_scripts_build_srun_command(tmp_path):
    _fake_executable(tmp_path, 'srun')
    env = _clean_env(PATH=f'{tmp_path}:{os.environ["PATH"]}', GPUS='4',
                     PYTHON='py')
    tools = osp.join(REPO_ROOT, 'tools')
    run_tool(['tools/slurm_train.sh', 'part', 'job', 'a.py', 'wd', '--amp'],
             env=env)
    args = open(str(tmp_path / 'srun.args')).read().split('\n')[:-1]
    assert args == [
        '-p', 'part', '--job-name=job', '--gres=gpu:8', '--ntasks=4',
        '--ntasks-per-node=8', '--cpus-per-task=5', '--kill-on-bad-exit=1',
        'py', '-u',
        osp.join(tools, 'train.py'), 'a.py', '--work-dir=wd',
        '--launcher=slurm', '--amp'
    ]
    run_tool(['tools/slurm_test.sh', 'part', 'job', 'a.py', 'c.pth'],
             env=dict(env, SRUN_ARGS='--quotatype=auto'))
    args = open(str(tmp_path / 'srun.args')).read().split('\n')[:-1]
    assert args[7:] == [
        '--kill-on-bad-exit=1', '--quotatype=auto', 'py', '-u',
        osp.join(tools, 'test.py'), 'a.py', 'c.pth', '--launcher=slurm'
    ]


def test_dist_train_usage_error():
    proc = run_tool(['tools/dist_train.sh', 'a.py'], check=False)
    assert proc.returncode == 2
    assert 'usage:' in proc.stdout
