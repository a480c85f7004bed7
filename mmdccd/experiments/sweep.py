"""The validation sweep that chose the demo's KD and DCCD loss weights.

:mod:`mmdccd.experiments.demo` compares the student alone, KD and DCCD under
one fixed budget; the loss weights in ``configs/demo/`` were chosen here, on
the ``'val'`` subset (5,000 training images held out from training), with
the demo's budget, seed and cached teacher. The test set is never evaluated.
Its command line is ``tools/analysis_tools/demo_sweep.py``::

    python tools/analysis_tools/demo_sweep.py [--data-root DIR] \\
        [--work-dir work_dirs/demo_sweep] [--methods KD DCCD]

It prints a table of every setting's last val top-1, marks the best of each
method and writes ``sweep.json`` and ``sweep.md`` to the work dir.
"""
import argparse
import json
import os.path as osp
import time
from typing import Dict, List, Tuple

from mmdccd.experiments.demo import build_cfg, prepare, run

#: A setting: its label and its ``--cfg-options``-style overrides.
Setting = Tuple[str, Dict[str, float]]

#: method -> (demo config, grid). The KD grid is the weights of CE and KD;
#: the DCCD grid is beta of eq. (14), from the paper's 25.6 / d = 0.4 down by
#: factors of 4 (alpha 1, theta 2, tau 4 stay the paper's). Four settings
#: each, so neither method gets more tries than the other.
GRIDS: Dict[str, Tuple[str, List[Setting]]] = {
    'KD': ('kd_r20_r8_fmnist', [
        (f'CE {ce:g}, KD {kd:g}', {
            'model.architecture.head.loss.loss_weight': ce,
            'model.distiller.distill_losses.loss_kd.loss_weight': kd
        }) for ce, kd in ((0.1, 0.9), (0.5, 0.5), (1.0, 1.0), (1.0, 2.0))
    ]),
    'DCCD': ('dccd_r20_r8_fmnist', [(f'beta {beta:g}', {
        'model.beta': beta
    }) for beta in (0.4, 0.1, 0.025, 0.00625)]),
}


def sweep(method: str, data_root: str, work_dir: str, teacher_ckpt: str,
          quick: bool, precision: str) -> List[Dict]:
    """Train every setting of ``method``'s grid; validation only.

    Returns:
        list[dict]: Per setting: ``overrides``, ``name``, ``val_top1``,
        ``curve`` and ``train_time_s``.
    """
    config, grid = GRIDS[method]
    results = []
    for i, (name, overrides) in enumerate(grid):
        cfg = build_cfg(config, data_root, osp.join(work_dir, f'{config}_{i}'),
                        quick, teacher_ckpt, precision)
        cfg.merge_from_dict(overrides)
        result = run(cfg, f'{method} {i + 1}/{len(grid)} {name}', test=False)
        results.append(
            dict(
                overrides=overrides,
                name=name,
                val_top1=result['val_top1'],
                curve=result['curve'],
                train_time_s=result['train_time_s']))
    return results


def format_table(results: Dict[str, List[Dict]], chosen: Dict[str,
                                                              str]) -> str:
    """Markdown table of every setting, the ``chosen`` ones (method ->
    setting name) marked."""
    lines = [
        '| method | setting | val top-1 (%) | train time (s) | chosen |',
        '| --- | --- | ---: | ---: | :---: |'
    ]
    for method, rows in results.items():
        for r in rows:
            mark = 'yes' if r['name'] == chosen[method] else ''
            lines.append(f'| {method} | {r["name"]} | {r["val_top1"]:.2f} | '
                         f'{r["train_time_s"]:.0f} | {mark} |')
    return '\n'.join(lines)


def run_sweep(args: argparse.Namespace) -> Dict:
    """Sweep ``args.methods`` on the val split and choose the best setting
    of each; prints the table and writes ``sweep.json`` and ``sweep.md``.

    Args:
        args (argparse.Namespace): The options of
            :func:`mmdccd.experiments.demo.add_common_args` and ``methods``
            (keys of :data:`GRIDS`).

    Returns:
        dict: ``results`` (method -> the rows of :func:`sweep`), ``chosen``
        (method -> setting name) and ``paths``.
    """
    start = time.time()
    data_root, work_dir, precision, teacher_ckpt, _ = prepare(
        args, 'mmdccd demo sweep')
    results = {
        method: sweep(method, data_root, work_dir, teacher_ckpt, args.quick,
                      precision)
        for method in args.methods
    }
    best = {
        method: max(rows, key=lambda r: r['val_top1'])
        for method, rows in results.items()
    }
    chosen = {method: r['name'] for method, r in best.items()}
    table = format_table(results, chosen)
    paths = dict(
        json=osp.join(work_dir, 'sweep.json'),
        md=osp.join(work_dir, 'sweep.md'))
    with open(paths['json'], 'w') as f:
        json.dump(
            dict(
                data_root=data_root,
                quick=args.quick,
                precision=precision,
                teacher_checkpoint=teacher_ckpt,
                results=results,
                chosen=chosen,
                wall_time_s=time.time() - start),
            f,
            indent=2)
    with open(paths['md'], 'w') as f:
        f.write(table + '\n')
    print('\nFashion-MNIST demo sweep, scored on the val split (5,000 '
          'held-out training images); the test set was not used:')
    print(table)
    for method, r in best.items():
        print(f'chosen for {method}: {r["name"]} (val top-1 '
              f'{r["val_top1"]:.2f} %)')
    print(f'\ntable: {paths["md"]}\njson: {paths["json"]}\n'
          f'wall time: {time.time() - start:.0f} s')
    return dict(results=results, chosen=chosen, paths=paths)
