"""Run one config over several seeds, one work dir a seed, resumable.

The paper reports CIFAR-100 accuracies as the mean of five runs. This module
trains a config once per seed (``randomness.seed``), each run in its own work
dir ``<work_root>/seed_<s>``, and records what every run trained with and how
it ended::

    work_root/
        seed_0/  mmengine's logs and checkpoints; seed_settings.json and
                 seed_config.py (the settings, written before the run);
                 run_1.log, run_2.log ... (the output of each attempt);
                 seed_run.json (the exit status of the last attempt)
        seed_1/
        ...

Runs go one after another, or side by side on ``num_gpus`` GPUs with
``gpus_per_run`` GPUs each (``CUDA_VISIBLE_DEVICES`` set per run; a run on
more than one GPU goes through ``tools/dist_train.sh``, each on its own
port). A seed counts as finished only for the same settings
(:mod:`mmdccd.experiments.seed_settings`: the resolved config, the
``tools/train.py`` options, the processes a run, the teacher checkpoint): it is
skipped then, and any other seed of the same settings is (re)started with
``--resume``, so an interrupted or crashed run continues from its latest
checkpoint. Seeds of other settings, or of unknown ones (a work dir without
``seed_settings.json``), are never resumed nor skipped as finished: the call
is refused, naming them and what differs, unless ``force`` starts them over
(their work dirs moved aside). While runs go, the console shows each one's
latest mmengine progress line (iteration and ETA); a failed run shows the
last lines of its log, and no further seed starts unless ``keep_going``.
:mod:`mmdccd.experiments.results` summarises the work dirs.
"""
import glob
import json
import os
import os.path as osp
import re
import subprocess
import sys
import time
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .seed_settings import (SETTINGS_RECORD, read_settings, seed_settings,
                            settings_differences, write_settings)

#: The record a finished (or failed) run leaves in its work dir.
RUN_RECORD = 'seed_run.json'
#: Where the stdout and stderr of a seed's ``n``-th attempt go.
RUN_LOG = 'run_{}.log'
#: Lines of a failed run's log shown on the console.
TAIL_LINES = 12
#: mmengine's training log line: where a run is, and its ETA.
_PROGRESS = re.compile(r'((?:Epoch|Iter)\(train\)\s*(?:\[[^\]]*\])+).*?'
                       r'(eta: \S+)')


class SeedSettingsError(ValueError):
    """Seeds of other (or unknown) settings are in the work root."""
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
              log: Callable[[str], None] = print,
              force: bool = False,
              keep_going: bool = False) -> Dict[int, str]:
    """Train ``config`` once per seed, skipping the seeds already finished
    with the same settings.

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
        force (bool): Start seeds of other or unknown settings over, their
            work dirs moved aside to ``seed_<s>.replaced_<time>``, instead
            of refusing. Defaults to False.
        keep_going (bool): Start the remaining seeds after a failed run.
            Defaults to False (a failure is likely to repeat).

    Returns:
        dict[int, str]: Each seed's status (:data:`STATUSES`) at the end.

    Raises:
        SeedSettingsError: Some seed's work dir holds a run of other or
            unknown settings, and ``force`` is off.
    """
    if len(set(seeds)) != len(seeds) or not seeds:
        raise ValueError(f'Expected distinct seeds, got {list(seeds)}.')
    slots = gpu_slots(num_gpus, gpus_per_run)
    settings = seed_settings(config, cfg_options, train_args,
                             gpus_per_run if num_gpus else 1)
    pending = _pending_seeds(seeds, work_root, settings, force, log)
    free = list(range(len(slots)))
    running = {}  # slot -> _Run
    failed = []
    while pending or running:
        while pending and free and (keep_going or not failed):
            slot, seed = free.pop(0), pending.pop(0)
            running[slot] = _start(seed, slot, slots[slot], config,
                                   work_root, train_script, dist_script,
                                   python, train_args, cfg_options,
                                   base_port, settings)
            where = f'GPUs {list(slots[slot])}' if slots[slot] else 'CPU'
            log(f'seed {seed}: started on {where}, log '
                f'{running[slot].log_path}')
        if failed and not keep_going and pending:
            log(f'not started after the failure of seed {failed[0]}: seeds '
                f'{", ".join(map(str, pending))} (--keep-going starts them '
                'regardless)')
            pending = []
        for slot, run in list(running.items()):
            if run.proc.poll() is None:
                _show_progress(run, log)
                continue
            run.finish(work_root)
            if run.proc.returncode != 0:
                failed.append(run.seed)
                log(run.failure_report())
            else:
                log(f'seed {run.seed}: finished after {run.wall_s:.1f} s')
            del running[slot]
            free.append(slot)
        if running:
            time.sleep(poll_s)
    statuses = {s: seed_status(seed_work_dir(work_root, s)) for s in seeds}
    done = sum(s == 'finished' for s in statuses.values())
    log(f'{done} of {len(seeds)} seeds finished in {work_root}')
    return statuses


def _pending_seeds(seeds: Sequence[int], work_root: str, settings: dict,
                   force: bool, log: Callable[[str], None]) -> List[int]:
    """The seeds to (re)start; finished ones of the same settings are
    skipped, other or unknown settings refused (or, with ``force``, their
    work dirs moved aside)."""
    pending, conflicts = [], {}
    for seed in seeds:
        work_dir = seed_work_dir(work_root, seed)
        status = seed_status(work_dir)
        if status == 'missing':
            pending.append(seed)
            continue
        recorded = read_settings(work_dir)
        if recorded is None:
            conflicts[seed] = [f'settings unknown ({status}, no '
                               f'{SETTINGS_RECORD}: a run of an older '
                               'mmdccd or another tool)']
            continue
        differences = settings_differences(recorded, settings)
        if differences:
            conflicts[seed] = differences
        elif status == 'finished':
            log(f'seed {seed}: finished before with the same settings, '
                'skipped')
        else:
            pending.append(seed)
    if conflicts and not force:
        raise SeedSettingsError(_conflict_message(work_root, conflicts))
    stamp = time.strftime('%Y%m%d_%H%M%S')
    for seed, differences in conflicts.items():
        work_dir = seed_work_dir(work_root, seed)
        aside = f'{work_dir}.replaced_{stamp}'
        os.rename(work_dir, aside)
        log(f'seed {seed}: {differences[0]}; --force: moved to {aside}, '
            'starting over')
        pending.append(seed)
    return sorted(pending, key=list(seeds).index)


def _conflict_message(work_root: str, conflicts: Dict[int, List[str]]
                      ) -> str:
    lines = [f'{work_root} holds runs of other settings than these; they '
             'would be mixed with the new ones:']
    for seed, differences in conflicts.items():
        lines += [f'  seed {seed}: ' + '; '.join(differences)]
    seeds = ' '.join(map(str, conflicts))
    lines.append(
        'Expected every seed of a work root to have the same settings. '
        'Give these runs their own --work-dir, or pass --force to start '
        f'seeds {seeds} over (their work dirs are moved aside).')
    return '\n'.join(lines)


class _Run:
    """One running attempt of a seed."""

    def __init__(self, seed: int, proc: subprocess.Popen, log_path: str,
                 log_file, cmd: List[str]) -> None:
        self.seed, self.proc, self.cmd = seed, proc, cmd
        self.log_path, self.log_file = log_path, log_file
        self.start = time.time()
        self.wall_s = 0.0
        self.shown = None  # the last progress line shown

    def finish(self, work_root: str) -> None:
        """Close the log and write the run record."""
        self.log_file.close()
        self.wall_s = time.time() - self.start
        record = dict(seed=self.seed, returncode=self.proc.returncode,
                      wall_s=round(self.wall_s, 1), command=self.cmd,
                      log=self.log_path)
        with open(osp.join(seed_work_dir(work_root, self.seed), RUN_RECORD),
                  'w') as f:
            json.dump(record, f, indent=1)

    def failure_report(self) -> str:
        """The exit status, the last lines of the log and its path."""
        with open(self.log_path, errors='replace') as f:
            tail = f.read().splitlines()[-TAIL_LINES:]
        return '\n'.join(
            [f'seed {self.seed}: exit status {self.proc.returncode} after '
             f'{self.wall_s:.1f} s; the end of its log:'] +
            [f'    {line}' for line in tail] +
            [f'seed {self.seed}: full log {self.log_path}'])


def progress_line(text: str) -> Optional[str]:
    """Where the latest mmengine training line of ``text`` is, with its
    ETA (``'Iter(train) [  2/240] eta: 0:01:02'``), or None."""
    found = _PROGRESS.findall(text)
    return ' '.join(found[-1]) if found else None


def _show_progress(run: _Run, log: Callable[[str], None]) -> None:
    """Log the run's latest progress line, once."""
    try:
        with open(run.log_path, 'rb') as f:
            f.seek(max(0, osp.getsize(run.log_path) - 8192))
            text = f.read().decode(errors='replace')
    except OSError:
        return
    line = progress_line(text)
    if line is not None and line != run.shown:
        run.shown = line
        log(f'seed {run.seed}: {line}')


def _next_log(work_dir: str) -> str:
    """The log of the next attempt: ``run_<n>.log``, n counting up."""
    done = glob.glob(osp.join(work_dir, RUN_LOG.format('*')))
    numbers = [int(m.group(1)) for m in
               (re.search(r'run_(\d+)\.log$', p) for p in done) if m]
    return osp.join(work_dir, RUN_LOG.format(max(numbers, default=0) + 1))


def _start(seed, slot, gpus, config, work_root, train_script, dist_script,
           python, train_args, cfg_options, base_port, settings) -> _Run:
    """Start one attempt of a seed, with its own log; the settings are
    recorded first, the old run record (a crash) removed."""
    work_dir = seed_work_dir(work_root, seed)
    os.makedirs(work_dir, exist_ok=True)
    write_settings(work_dir, settings)
    record = osp.join(work_dir, RUN_RECORD)
    if osp.exists(record):
        os.remove(record)
    cmd = train_command(config, work_dir, seed, gpus, train_script,
                        dist_script, python, train_args, cfg_options)
    env = dict(os.environ, PORT=str(base_port + slot), PYTHON=python)
    if gpus:
        env['CUDA_VISIBLE_DEVICES'] = ','.join(map(str, gpus))
    log_path = _next_log(work_dir)
    log_file = open(log_path, 'w')
    proc = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT,
                            env=env)
    return _Run(seed, proc, log_path, log_file, cmd)
