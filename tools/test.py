#!/usr/bin/env python
"""Evaluate a checkpoint with an mmengine config.

Usage::

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out FILE]
        [--allow-pickle] [--cfg-options KEY=VALUE ...]
        [--launcher {none,pytorch,slurm,mpi}]

``--out results.pkl`` dumps every prediction (mmengine's ``DumpResults``);
``--out metrics.json`` writes the metrics. A distillation checkpoint with a
distillation config evaluates the student; a student extracted with
``tools/model_converters/extract_student.py`` evaluates with a plain
mmpretrain config.
"""
import argparse
import os
import os.path as osp

import mmdccd  # noqa: F401  (applies mmdccd.compat, registers parts)
from mmdccd.utils import setup_cpu_distributed
from mmdccd.utils.checkpoint import add_allow_pickle_argument
import mmengine
import torch
from mmengine.config import Config, DictAction
from mmengine.evaluator import DumpResults
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

PICKLE_SUFFIXES = ('.pkl', '.pickle')
JSON_SUFFIXES = ('.json', )


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line (``argv`` defaults to ``sys.argv[1:]``)."""
    parser = argparse.ArgumentParser(
        description='Evaluate a checkpoint with an mmengine config (mmdccd).')
    parser.add_argument('config', help='config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir',
        help='where the evaluation log goes; defaults to the config\'s '
        '`work_dir`, else ./work_dirs/<config name>')
    parser.add_argument(
        '--out',
        help='dump predictions (.pkl / .pickle, mmengine DumpResults) or the '
        'metrics (.json) to this file')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config items, e.g. test_dataloader.batch_size=64')
    add_allow_pickle_argument(parser)
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    # torch.distributed.launch passes --local-rank (torch >= 2.0) or
    # --local_rank (older); accept both.
    parser.add_argument(
        '--local_rank', '--local-rank', type=int, default=0, dest='local_rank')
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    if args.out is not None and not args.out.endswith(PICKLE_SUFFIXES +
                                                      JSON_SUFFIXES):
        parser.error(f'--out expects a file ending in '
                     f'{PICKLE_SUFFIXES + JSON_SUFFIXES}, found {args.out!r}'
                     '; use .pkl for predictions or .json for metrics.')
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        name = osp.splitext(osp.basename(args.config))[0]
        cfg.work_dir = osp.join('./work_dirs', name)
    # loaded with weights_only=True (mmdccd.compat); --allow-pickle opts out
    cfg.load_from = args.checkpoint
    cfg.resume = False
    setup_cpu_distributed(cfg, args.launcher)

    if 'runner_type' in cfg:
        runner = RUNNERS.build(cfg)
    else:
        runner = Runner.from_cfg(cfg)

    if args.out is not None and args.out.endswith(PICKLE_SUFFIXES):
        runner.test_evaluator.metrics.append(
            DumpResults(out_file_path=args.out))
    metrics = runner.test()

    if runner.rank == 0:
        if args.out is not None and args.out.endswith(JSON_SUFFIXES):
            mmengine.mkdir_or_exist(osp.dirname(osp.abspath(args.out)))
            mmengine.dump(
                {k: float(v) if hasattr(v, '__float__') else v
                 for k, v in metrics.items()}, args.out, indent=2)
        summary = ', '.join(f'{k}: {v}' for k, v in metrics.items())
        print(f'Evaluated {args.checkpoint}: {summary}')
        print(f'Logs: {runner.log_dir}')
        if args.out is not None:
            kind = 'predictions' if args.out.endswith(
                PICKLE_SUFFIXES) else 'metrics'
            print(f'Wrote {kind} to {osp.abspath(args.out)}')


if __name__ == '__main__':
    try:
        main()
    finally:
        # gloo aborts at interpreter exit with a live process group
        if torch.distributed.is_available() and \
                torch.distributed.is_initialized():
            torch.distributed.destroy_process_group()
