"""Run one config over several seeds, one work dir a seed, resumable.

The paper reports CIFAR-100 accuracies as the mean of five runs. This module
trains a config once per seed (``randomness.seed``), each run in its own work
dir ``<work_root>/seed_<s>``, and records how every run ended in
``seed_<s>/seed_run.json``::

    work_root/
        seed_0/  (mmengine's logs and checkpoints, run.log, seed_run.json)
        seed_1/
        ...

Runs go one after another, or side by side on ``num_gpus`` GPUs with
``gpus_per_run`` GPUs each (``CUDA_VISIBLE_DEVICES`` set per run; a run on
more than one GPU goes through ``tools/dist_train.sh``, each on its own
port). A seed whose run finished (exit status 0) is skipped; any other seed
is (re)started with ``--resume``, so an interrupted or crashed run continues
from its latest checkpoint. :mod:`mmdccd.experiments.results` summarises the
work dirs.
"""
import json
import os
import os.path as osp
import subprocess
import sys
import time
from typing import Callable, Dict, List, Optional, Sequence, Tuple

#: The record a finished (or failed) run leaves in its work dir.
RUN_RECORD = 'seed_run.json'
#: Where a run's stdout and stderr go.
RUN_LOG = 'run.log'
#: How a seed stands: its run exited 0 / exited otherwise / started, no exit
#: recorded (still running, or killed) / never started.
STATUSES = ('finished', 'crashed', 'incomplete', 'missing')


def seed_work_dir(work_root: str, seed: int) -> str:
    """The work dir of one seed: ``<work_root>/seed_<seed>``."""
    return osp.join(work_root, f'seed_{seed}')


def read_run_record(work_dir: str) -> Optional[dict]:
    """The run record of a seed's work dir, or None where there is none."""
    path = osp.join(work_dir, RUN_RECORD)
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)


def seed_status(work_dir: str) -> str:
    """One of :data:`STATUSES` for a seed's work dir."""
    if not osp.isdir(work_dir):
        return 'missing'
    record = read_run_record(work_dir)
    if record is None:
        return 'incomplete'
    return 'finished' if record['returncode'] == 0 else 'crashed'


def gpu_slots(num_gpus: int, gpus_per_run: int = 1) -> List[Tuple[int, ...]]:
    """The GPU groups runs go to: ``num_gpus // gpus_per_run`` groups of
    consecutive GPU ids, or one empty group (the CPU) when ``num_gpus`` is 0.

    Args:
        num_gpus (int): GPUs to use, 0 for none.
        gpus_per_run (int): GPUs one run spans. Defaults to 1.

    Returns:
        list[tuple[int]]: One tuple of GPU ids a slot.
    """
    if num_gpus < 0 or gpus_per_run < 1:
        raise ValueError(f'Expected num_gpus >= 0 and gpus_per_run >= 1, got '
                         f'{num_gpus} and {gpus_per_run}.')
    if num_gpus == 0:
        return [()]
    if num_gpus % gpus_per_run:
        raise ValueError(
            f'{num_gpus} GPUs do not split into runs of {gpus_per_run}; use '
            f'a GPU count that is a multiple of gpus_per_run.')
    return [tuple(range(start, start + gpus_per_run))
            for start in range(0, num_gpus, gpus_per_run)]


def train_command(config: str,
                  work_dir: str,
                  seed: int,
                  gpus: Sequence[int] = (),
                  train_script: str = 'tools/train.py',
                  dist_script: str = 'tools/dist_train.sh',
                  python: str = sys.executable,
                  train_args: Sequence[str] = (),
                  cfg_options: Sequence[str] = ()) -> List[str]:
    """The command line of one seed's run.

    Args:
        config (str): The config file.
        work_dir (str): The seed's work dir.
        seed (int): Set as ``randomness.seed``.
        gpus (Sequence[int]): The run's GPUs; more than one goes through
            ``dist_script``. Defaults to () (one process).
        train_script (str): ``tools/train.py``. Defaults to that path
            relative to the current directory.
        dist_script (str): ``tools/dist_train.sh``. Likewise.
        python (str): The interpreter. Defaults to this one.
        train_args (Sequence[str]): More options of ``tools/train.py``
            (``--amp``, ``--auto-scale-lr``...). Defaults to ().
        cfg_options (Sequence[str]): ``key=value`` overrides, after the
            seed. Defaults to ().

    Returns:
        list[str]: The argument vector.
    """
    if len(gpus) > 1:
        launch = ['bash', dist_script, config, str(len(gpus))]
    else:
        launch = [python, train_script, config]
    return launch + [
        '--work-dir', work_dir, '--resume', *train_args, '--cfg-options',
        f'randomness.seed={seed}', *cfg_options
    ]


def run_seeds(config: str,
              seeds: Sequence[int],
              work_root: str,
              num_gpus: int = 0,
              gpus_per_run: int = 1,
              train_script: str = 'tools/train.py',
              dist_script: str = 'tools/dist_train.sh',
              python: str = sys.executable,
              train_args: Sequence[str] = (),
              cfg_options: Sequence[str] = (),
              base_port: int = 29500,
              poll_s: float = 1.0,
              log: Callable[[str], None] = print) -> Dict[int, str]:
    """Train ``config`` once per seed, skipping the seeds already finished.

    Args:
        config (str): The config file.
        seeds (Sequence[int]): The seeds, e.g. ``range(5)``.
        work_root (str): Parent of the ``seed_<s>`` work dirs.
        num_gpus (int): GPUs to spread the runs over; 0 runs them one after
            another without setting ``CUDA_VISIBLE_DEVICES``. Defaults to 0.
        gpus_per_run (int): GPUs one run spans. Defaults to 1.
        train_script (str): Path of ``tools/train.py``.
        dist_script (str): Path of ``tools/dist_train.sh``.
        python (str): The interpreter. Defaults to this one.
        train_args (Sequence[str]): More ``tools/train.py`` options.
        cfg_options (Sequence[str]): More ``key=value`` overrides.
        base_port (int): The rendezvous port of slot ``i`` is
            ``base_port + i`` (multi-GPU runs). Defaults to 29500.
        poll_s (float): Seconds between checks on the running runs.
        log (callable): Where progress lines go. Defaults to ``print``.

    Returns:
        dict[int, str]: Each seed's status (:data:`STATUSES`) at the end.
    """
    if len(set(seeds)) != len(seeds) or not seeds:
        raise ValueError(f'Expected distinct seeds, got {list(seeds)}.')
    slots = gpu_slots(num_gpus, gpus_per_run)
    pending = []
    for seed in seeds:
        if seed_status(seed_work_dir(work_root, seed)) == 'finished':
            log(f'seed {seed}: finished before, skipped')
        else:
            pending.append(seed)
    free = list(range(len(slots)))
    running = {}  # slot -> (seed, process, start time, log file, command)
    while pending or running:
        while pending and free:
            slot, seed = free.pop(0), pending.pop(0)
            running[slot] = _start(seed, slot, slots[slot], config,
                                   work_root, train_script, dist_script,
                                   python, train_args, cfg_options,
                                   base_port)
            where = f'GPUs {list(slots[slot])}' if slots[slot] else 'CPU'
            log(f'seed {seed}: started on {where}, log '
                f'{osp.join(seed_work_dir(work_root, seed), RUN_LOG)}')
        for slot, (seed, proc, start, log_file, cmd) in list(running.items()):
            if proc.poll() is None:
                continue
            log_file.close()
            record = dict(seed=seed, returncode=proc.returncode,
                          wall_s=round(time.time() - start, 1), command=cmd)
            with open(osp.join(seed_work_dir(work_root, seed), RUN_RECORD),
                      'w') as f:
                json.dump(record, f, indent=1)
            log(f'seed {seed}: exit status {proc.returncode} after '
                f'{record["wall_s"]} s')
            del running[slot]
            free.append(slot)
        if running:
            time.sleep(poll_s)
    statuses = {s: seed_status(seed_work_dir(work_root, s)) for s in seeds}
    done = sum(s == 'finished' for s in statuses.values())
    log(f'{done} of {len(seeds)} seeds finished in {work_root}')
    return statuses


def _start(seed, slot, gpus, config, work_root, train_script, dist_script,
           python, train_args, cfg_options, base_port):
    """Start one seed's run; its old record (a crash) is removed first."""
    work_dir = seed_work_dir(work_root, seed)
    os.makedirs(work_dir, exist_ok=True)
    record = osp.join(work_dir, RUN_RECORD)
    if osp.exists(record):
        os.remove(record)
    cmd = train_command(config, work_dir, seed, gpus, train_script,
                        dist_script, python, train_args, cfg_options)
    env = dict(os.environ, PORT=str(base_port + slot), PYTHON=python)
    if gpus:
        env['CUDA_VISIBLE_DEVICES'] = ','.join(map(str, gpus))
    log_file = open(osp.join(work_dir, RUN_LOG), 'a')
    proc = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT,
                            env=env)
    return seed, proc, time.time(), log_file, cmd
