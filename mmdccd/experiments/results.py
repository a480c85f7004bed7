"""Summarise the seed work dirs of :mod:`mmdccd.experiments.seeds` into
results rows: last-epoch and best-epoch top-1, mean and std over seeds.

Per seed, the validation history is read from mmengine's
``<work_dir>/<timestamp>/vis_data/scalars.json`` files (all of them, oldest
first, so a resumed run's later evaluations replace the earlier ones of the
same epoch):

- **last**: the top-1 of the last evaluation (the number the CRD benchmark
  and the paper report, at epoch 240 on CIFAR-100);
- **best**: the largest top-1 over all evaluations. On CIFAR-100 these are
  evaluations on the *test* set (it has no validation split), so "best" is
  the maximum over epochs of the test-set top-1, an optimistic number that
  is labelled as such wherever it is printed.

Only finished seeds (exit status 0, at least one evaluation, a settings
record) enter the mean; crashed, unfinished and missing seeds, and finished
ones whose settings are unknown (no ``seed_settings.json``), are listed
beside it, never averaged in. Finished seeds of different settings
(:mod:`mmdccd.experiments.seed_settings`) are not averaged at all: the
summary is refused, naming the groups. The settings that matter (the config
and its overrides, the epochs or iterations run against the config file's,
the teacher checkpoint) are printed with every summary, and a schedule
other than the config's is written into the row. ``std`` is the sample
standard deviation (``n - 1``), undefined for one seed.
"""
import glob
import json
import math
import os.path as osp
import re
from typing import Dict, List, Optional, Sequence

from .seed_settings import (COMPARED, describe_settings, read_settings,
                            settings_differences)
from .seeds import seed_status, seed_work_dir

#: The student's top-1 as mmpretrain's Accuracy logs it (distillation val
#: loops log the teacher's as ``teacher.accuracy/top1``).
TOP1 = 'accuracy/top1'
BEST_LABEL = 'best epoch (max over epochs of the test-set top-1)'


def read_val_history(work_dir: str, metric: str = TOP1) -> Dict[int, float]:
    """Epoch (or iteration, for iteration-based runs) -> ``metric``.

    Args:
        work_dir (str): One run's work dir.
        metric (str): The logged key. Defaults to ``'accuracy/top1'``.

    Returns:
        dict[int, float]: The evaluations, in order of epoch.
    """
    history = {}
    for path in sorted(glob.glob(osp.join(work_dir, '*', 'vis_data',
                                          'scalars.json'))):
        with open(path) as f:
            for line in f:
                entry = json.loads(line)
                if metric in entry:
                    when = entry.get('epoch', entry.get('step'))
                    history[int(when)] = float(entry[metric])
    return dict(sorted(history.items()))


def seed_result(work_root: str, seed: int, metric: str = TOP1) -> dict:
    """How one seed stands and, when finished, its last and best top-1.

    Returns:
        dict: ``seed``, ``status`` (``finished`` / ``crashed`` /
        ``incomplete`` / ``missing``, ``settings unknown`` for a finished
        run without a settings record, or ``no evaluation`` for a finished
        run that logged no ``metric``), and for a finished run ``last``,
        ``last_epoch``, ``best``, ``best_epoch``, ``evaluations`` and
        ``settings`` (its record).
    """
    work_dir = seed_work_dir(work_root, seed)
    result = dict(seed=seed, status=seed_status(work_dir))
    if result['status'] != 'finished':
        return result
    result['settings'] = read_settings(work_dir)
    if result['settings'] is None:
        result['status'] = 'settings unknown'
        return result
    history = read_val_history(work_dir, metric)
    if not history:
        result['status'] = 'no evaluation'
        return result
    last_epoch = max(history)
    best_epoch = max(history, key=lambda e: (history[e], -e))
    result.update(last=history[last_epoch], last_epoch=last_epoch,
                  best=history[best_epoch], best_epoch=best_epoch,
                  evaluations=len(history))
    return result


def mean_std(values: Sequence[float]) -> Dict[str, Optional[float]]:
    """Mean and sample standard deviation (``n - 1``; None for n < 2)."""
    n = len(values)
    if n == 0:
        return dict(mean=None, std=None, n=0)
    mean = sum(values) / n
    std = math.sqrt(sum((v - mean)**2 for v in values) /
                    (n - 1)) if n > 1 else None
    return dict(mean=mean, std=std, n=n)


def found_seeds(work_root: str) -> List[int]:
    """The seeds that have a ``seed_<s>`` work dir under ``work_root``."""
    seeds = []
    for path in glob.glob(osp.join(work_root, 'seed_*')):
        match = re.fullmatch(r'seed_(-?\d+)', osp.basename(path))
        if match and osp.isdir(path):
            seeds.append(int(match.group(1)))
    return sorted(seeds)


def summarize(work_root: str,
              seeds: Optional[Sequence[int]] = None,
              metric: str = TOP1) -> dict:
    """The last- and best-epoch top-1 over the finished seeds.

    Args:
        work_root (str): Parent of the ``seed_<s>`` work dirs.
        seeds (Sequence[int], optional): The seeds expected; one without a
            work dir is reported as missing. Defaults to those found.
        metric (str): The logged key. Defaults to ``'accuracy/top1'``.

    Returns:
        dict: ``work_root``, ``metric``, ``seeds`` (one
        :func:`seed_result` each), ``last`` and ``best`` (``mean``, ``std``,
        ``n`` over the finished seeds) and ``not_averaged`` (the other seeds
        with their status).
    """
    seeds = found_seeds(work_root) if seeds is None else list(seeds)
    if not seeds:
        raise ValueError(f'No seed_<s> work dirs in {work_root}, and no '
                         'seeds given; run tools/run_seeds.py first.')
    results = [seed_result(work_root, s, metric) for s in seeds]
    done = [r for r in results if r['status'] == 'finished']
    check_same_settings(done)
    return dict(
        work_root=work_root,
        metric=metric,
        seeds=results,
        settings=done[0]['settings'] if done else None,
        last=mean_std([r['last'] for r in done]),
        best=mean_std([r['best'] for r in done]),
        not_averaged={
            r['seed']: r['status']
            for r in results if r['status'] != 'finished'
        })


def check_same_settings(done: Sequence[dict]) -> None:
    """Refuse to average finished seeds of different settings.

    Args:
        done (Sequence[dict]): :func:`seed_result` of the finished seeds.

    Raises:
        ValueError: Naming each group of seeds, its settings and what
            differs.
    """
    groups: Dict[tuple, List[dict]] = {}
    for result in done:
        key = tuple(json.dumps(result['settings'].get(k)) for k in COMPARED)
        groups.setdefault(key, []).append(result)
    if len(groups) < 2:
        return
    first, *others = groups.values()
    lines = ['the finished seeds ran with different settings; their mean '
             'would mix them:']
    for group in groups.values():
        seeds = ' '.join(str(r['seed']) for r in group)
        lines.append(f'  seeds {seeds}: '
                     f'{describe_settings(group[0]["settings"])}')
    for group in others:
        lines += [f'  differs: {d}' for d in settings_differences(
            first[0]['settings'], group[0]['settings'])]
    lines.append('Expected one setting a summary: summarise each group with '
                 '--seeds, or rerun the others with tools/run_seeds.py '
                 '--force.')
    raise ValueError('\n'.join(lines))


def schedule_note(settings: Optional[dict]) -> str:
    """``2 of the config's 240 epochs`` where the runs' schedule is not the
    config file's, else an empty string."""
    schedule = (settings or {}).get('schedule') or {}
    length, own = schedule.get('length'), schedule.get('config_length')
    if length == own:
        return ''
    return f'{length} of the config\'s {own} {schedule.get("unit")}'


def format_mean_std(stats: dict, digits: int = 2) -> str:
    """``72.35 ± 0.21`` (``72.35`` for one seed, ``—`` for none)."""
    if stats['mean'] is None:
        return '—'
    if stats['std'] is None:
        return f'{stats["mean"]:.{digits}f}'
    return f'{stats["mean"]:.{digits}f} ± {stats["std"]:.{digits}f}'


def seeds_note(summary: dict) -> str:
    """``5 seeds (0-4)``, plus the seeds left out and why."""
    used = [r['seed'] for r in summary['seeds'] if r['status'] == 'finished']
    note = f'{len(used)} seed{"s" if len(used) != 1 else ""} ' \
        f'({", ".join(map(str, used)) or "none"})'
    if schedule_note(summary.get('settings')):
        note += f', {schedule_note(summary["settings"])}'
    if summary['not_averaged']:
        note += '; not averaged: ' + ', '.join(
            f'{s} {status}' for s, status in summary['not_averaged'].items())
    return note


def markdown_row(summary: dict, name: str, config: str) -> str:
    """A results-table row: name, last, best epoch, seeds, config link.

    Goes under the header of :func:`markdown_header`.
    """
    return (f'| {name} | {format_mean_std(summary["last"])} | '
            f'{format_mean_std(summary["best"])} | {seeds_note(summary)} | '
            f'[config]({config}) |')


def markdown_header() -> str:
    """The header of :func:`markdown_row` rows."""
    return ('| Run | Top-1, last epoch (mean ± std) | Top-1, '
            f'{BEST_LABEL} | Seeds | Config |\n'
            '| --- | --- | --- | --- | --- |')


def metafile_result(summary: dict, dataset: str = 'CIFAR-100') -> str:
    """A ``Results:`` item of a ``metafile.yml`` model, means over seeds.

    ``Top 1 Accuracy`` is the last epoch (the paper's number); the best
    epoch goes under its own, labelled metric; the seeds and the stds go in
    the ``Note``. Indented to sit under a model's ``Results:``.
    """
    last, best = summary['last'], summary['best']
    if last['mean'] is None:
        raise ValueError(
            f'No finished seed in {summary["work_root"]} '
            f'({seeds_note(summary)}): nothing to write.')
    note = f'ours, mean of {seeds_note(summary)}'
    if last['std'] is not None:
        note += (f'; sample std {last["std"]:.2f} (last), '
                 f'{best["std"]:.2f} (best)')
    return '\n'.join([
        '      - Task: Image Classification', f'        Dataset: {dataset}',
        '        Metrics:', f'          Top 1 Accuracy: {last["mean"]:.2f}',
        '          Top 1 Accuracy (best epoch, test set): '
        f'{best["mean"]:.2f}', f'        Note: {json.dumps(note)}'
    ])
