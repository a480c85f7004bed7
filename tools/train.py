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
import os
import os.path as osp

import mmdccd  # noqa: F401  (applies mmdccd.compat, registers parts)
from mmdccd.utils import setup_cpu_distributed
from mmdccd.utils.checkpoint import add_allow_pickle_argument
import torch
from mmengine.config import Config, DictAction
from mmengine.registry import RUNNERS
from mmengine.runner import Runner


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line (``argv`` defaults to ``sys.argv[1:]``)."""
    parser = argparse.ArgumentParser(
        description='Train a model from an mmengine config (mmdccd).')
    parser.add_argument('config', help='config file path')
    parser.add_argument(
        '--work-dir',
        help='where logs and checkpoints go; defaults to the config\'s '
        '`work_dir`, else ./work_dirs/<config name>')
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
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config items, e.g. '
        'train_dataloader.batch_size=32 model.teacher_ckpt=teacher.pth')
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
    return args


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the command-line options to the config."""
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        name = osp.splitext(osp.basename(args.config))[0]
        cfg.work_dir = osp.join('./work_dirs', name)

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

    setup_cpu_distributed(cfg, args.launcher)
    return cfg


def main(argv=None) -> None:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    cfg = merge_args(cfg, args)

    if 'runner_type' in cfg:
        runner = RUNNERS.build(cfg)
    else:
        runner = Runner.from_cfg(cfg)
    runner.train()

    if runner.rank == 0:
        last = osp.join(runner.work_dir, 'last_checkpoint')
        ckpt = open(last).read().strip() if osp.isfile(last) else None
        print(f'Training done after iteration {runner.iter}.')
        print(f'Logs: {runner.log_dir}')
        print(f'Last checkpoint: {ckpt or "none saved"}')


if __name__ == '__main__':
    try:
        main()
    finally:
        # gloo aborts at interpreter exit with a live process group
        if torch.distributed.is_available() and \
                torch.distributed.is_initialized():
            torch.distributed.destroy_process_group()
