#!/usr/bin/env python
"""Choose the demo's distillation weights on the validation split.

``tools/demo.py`` compares the student alone, KD and DCCD under one fixed
budget. The weights of the two distillation methods in ``configs/demo/`` were
chosen by this sweep: every setting of a small grid is trained with the
demo's budget and seed and scored by its last top-1 on the 5,000 training
images held out as the ``'val'`` subset. The test set is never evaluated
here. Usage::

    python tools/analysis_tools/demo_sweep.py [--data-root DIR] \\
        [--work-dir work_dirs/demo_sweep] [--methods KD DCCD]

The teacher is the demo's (trained once, or taken from the demo's cache).
Writes ``sweep.json`` and ``sweep.md`` to the work dir and prints, for each
method, the setting with the best validation top-1. ``--quick`` runs the
grid on a tiny subset (a smoke test).
"""
import argparse
import json
import os
import os.path as osp
import sys
import time
from typing import Dict, List, Tuple

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
import demo  # noqa: E402  (tools/demo.py: data, configs, runs, teacher)
import torch  # noqa: E402

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
        cfg = demo.build_cfg(config, data_root,
                             osp.join(work_dir, f'{config}_{i}'), quick,
                             teacher_ckpt, precision)
        cfg.merge_from_dict(overrides)
        run = demo.run(cfg, f'{method} {i + 1}/{len(grid)} {name}',
                       test=False)
        results.append(
            dict(
                overrides=overrides,
                name=name,
                val_top1=run['val_top1'],
                curve=run['curve'],
                train_time_s=run['train_time_s']))
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


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Choose the demo\'s KD and DCCD weights on the '
        'validation split (the test set is never used).')
    demo.add_common_args(parser, 'demo_sweep')
    parser.add_argument(
        '--methods', nargs='+', default=list(GRIDS), choices=list(GRIDS))
    return parser.parse_args(argv)


def main(argv=None) -> Dict:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    start = time.time()
    data_root = demo.find_data_root(args.data_root)
    work_dir = osp.abspath(args.work_dir)
    os.makedirs(work_dir, exist_ok=True)
    precision = demo.resolve_precision(args.precision)
    teacher_ckpt, _ = demo.get_teacher(data_root, work_dir, args.cache_dir,
                                       args.quick, precision)
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


if __name__ == '__main__':
    main()
