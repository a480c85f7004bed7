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
import os.path as osp

import mmdccd  # noqa: F401  (applies mmdccd.compat, registers parts)
import mmengine
from mmengine.evaluator import DumpResults

from mmdccd.utils.launch import (add_common_args, build_runner, load_config,
                                 parse_with_local_rank, run_tool)

PICKLE_SUFFIXES = ('.pkl', '.pickle')
JSON_SUFFIXES = ('.json', )


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line (``argv`` defaults to ``sys.argv[1:]``)."""
    parser = argparse.ArgumentParser(
        description='Evaluate a checkpoint with an mmengine config (mmdccd).')
    parser.add_argument(
        'config',
        help='config file path, or pkg::path of a config a package ships '
        '(mmpretrain::resnet/resnet18_8xb32_in1k.py)')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--out',
        help='dump predictions (.pkl / .pickle, mmengine DumpResults) or the '
        'metrics (.json) to this file')
    add_common_args(parser, 'where the evaluation log goes',
                    'test_dataloader.batch_size=64')
    args = parse_with_local_rank(parser, argv)
    if args.out is not None and not args.out.endswith(PICKLE_SUFFIXES +
                                                      JSON_SUFFIXES):
        parser.error(f'--out expects a file ending in '
                     f'{PICKLE_SUFFIXES + JSON_SUFFIXES}, found {args.out!r}'
                     '; use .pkl for predictions or .json for metrics.')
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    cfg = load_config(args)
    # loaded with weights_only=True (mmdccd.compat); --allow-pickle opts out
    cfg.load_from = args.checkpoint
    cfg.resume = False
    runner = build_runner(cfg)

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
    run_tool(main)
