#!/usr/bin/env python
"""Train a model (a distillation such as DCCD, or a plain classifier) from an
mmengine config.

Usage::

    python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]] [--amp]
        [--auto-scale-lr] [--no-validate] [--allow-pickle]
        [--cfg-options KEY=VALUE ...]
        [--launcher {none,pytorch,slurm,mpi}]

Distributed: ``tools/dist_train.sh CONFIG GPUS`` (torchrun) or
``tools/slurm_train.sh``. On a host without CUDA, ``--launcher pytorch`` runs
on the CPU with the gloo backend.
"""
import argparse
import os.path as osp

import mmdccd  # noqa: F401  (applies mmdccd.compat, registers parts)
import torch
from mmengine.config import Config

from mmdccd.utils.batch_size import warn_batch_size
from mmdccd.utils.launch import (add_common_args, build_runner, load_config,
                                 parse_with_local_rank, run_tool)


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line (``argv`` defaults to ``sys.argv[1:]``)."""
    parser = argparse.ArgumentParser(
        description='Train a model from an mmengine config (mmdccd).')
    parser.add_argument(
        'config',
        help='config file path, or pkg::path of a config a package ships '
        '(mmpretrain::resnet/resnet18_8xb32_in1k.py)')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume training: without a value from the latest checkpoint in '
        'the work dir, with a value from that checkpoint')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='mixed-precision training: AmpOptimWrapper (float16 with loss '
        'scaling) on a GPU, CPUAmpOptimWrapper (bfloat16 autocast) on a '
        'host without one')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the lr linearly with the total batch size against the '
        'config\'s `auto_scale_lr.base_batch_size`')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='do not evaluate during training')
    add_common_args(
        parser, 'where logs and checkpoints go',
        'train_dataloader.batch_size=32 model.teacher_ckpt=teacher.pth')
    return parse_with_local_rank(parser, argv)


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the training options to the config."""
    if args.amp:
        wrapper_type = cfg.optim_wrapper.get('type', 'OptimWrapper')
        amp_types = ('AmpOptimWrapper', 'CPUAmpOptimWrapper')
        if wrapper_type not in ('OptimWrapper', ) + amp_types:
            raise ValueError(
                f'--amp expects the config\'s optim_wrapper to be an '
                f'OptimWrapper, found type={wrapper_type!r}; set '
                'optim_wrapper.type=AmpOptimWrapper in the config instead.')
        if torch.cuda.is_available():
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
        else:  # mmengine's AmpOptimWrapper refuses the CPU
            cfg.optim_wrapper.type = 'CPUAmpOptimWrapper'
            cfg.optim_wrapper.pop('loss_scale', None)

    if args.auto_scale_lr:
        if 'base_batch_size' not in cfg.get('auto_scale_lr', {}):
            raise ValueError(
                '--auto-scale-lr expects `auto_scale_lr = dict('
                'base_batch_size=...)` in the config (the total batch size '
                'the lr was tuned for); found none. Add it to the config.')
        cfg.auto_scale_lr.enable = True

    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None

    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    return cfg


def main(argv=None) -> None:
    args = parse_args(argv)
    cfg = merge_args(load_config(args), args)
    runner = build_runner(cfg)
    warn_batch_size(cfg, runner.world_size)
    runner.train()

    if runner.rank == 0:
        last = osp.join(runner.work_dir, 'last_checkpoint')
        ckpt = open(last).read().strip() if osp.isfile(last) else None
        print(f'Training done after iteration {runner.iter}.')
        print(f'Logs: {runner.log_dir}')
        print(f'Last checkpoint: {ckpt or "none saved"}')


if __name__ == '__main__':
    run_tool(main)
