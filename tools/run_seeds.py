#!/usr/bin/env python
"""Train a config once per seed, one work dir a seed (the paper's "average
of five runs"); a seed finished with the same settings is skipped, any
other one of the same settings resumed::

    python tools/run_seeds.py CONFIG [--seeds 0 1 2 3 4] [--gpus 4]
        [--gpus-per-run 1] [--work-dir work_dirs/<config>_seeds]
        [--train-args --amp] [--cfg-options KEY=VALUE ...]
        [--force] [--keep-going]

With ``--gpus N`` the seeds run side by side, ``N / --gpus-per-run`` at a
time, each on its own GPUs (a run on more than one GPU through
``tools/dist_train.sh``); without it, one after another. Each seed's work
dir records the settings it ran with; seeds of other settings in the work
dir are refused (``--force`` starts them over). A failed run stops new seeds
from starting (``--keep-going`` starts them). Then summarise with
``tools/analysis_tools/summarize_seeds.py``. The logic is
:mod:`mmdccd.experiments.seeds`.
"""
import argparse
import os.path as osp
import sys

from mmdccd.experiments.seeds import SeedSettingsError, run_seeds

TOOLS_DIR = osp.dirname(osp.abspath(__file__))


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Train a config over several seeds.')
    parser.add_argument('config', help='config file path')
    parser.add_argument('--seeds', type=int, nargs='+',
                        default=[0, 1, 2, 3, 4], help='default: 0 1 2 3 4')
    parser.add_argument('--gpus', type=int, default=0,
                        help='GPUs to spread the runs over (default: 0, '
                        'runs one after another, no CUDA_VISIBLE_DEVICES)')
    parser.add_argument('--gpus-per-run', type=int, default=1,
                        help='GPUs one run spans (default: 1)')
    parser.add_argument('--work-dir', help='parent of the seed_<s> work '
                        'dirs; default: work_dirs/<config name>_seeds')
    parser.add_argument('--port', type=int, default=29500,
                        help='rendezvous port of the first multi-GPU slot')
    parser.add_argument('--train-args', nargs='+', default=[],
                        help='more tools/train.py options, e.g. --amp')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='key=value overrides for every seed')
    parser.add_argument('--force', action='store_true',
                        help='start seeds whose work dirs hold runs of '
                        'other or unknown settings over (the old work dirs '
                        'are moved aside)')
    parser.add_argument('--keep-going', action='store_true',
                        help='start the remaining seeds after a failed run')
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    name = osp.splitext(osp.basename(args.config))[0]
    work_root = args.work_dir or osp.join('work_dirs', f'{name}_seeds')
    statuses = run_seeds(
        args.config, args.seeds, work_root, args.gpus, args.gpus_per_run,
        train_script=osp.join(TOOLS_DIR, 'train.py'),
        dist_script=osp.join(TOOLS_DIR, 'dist_train.sh'),
        train_args=args.train_args, cfg_options=args.cfg_options,
        base_port=args.port, force=args.force, keep_going=args.keep_going)
    print(f'work dirs: {work_root}/seed_<s>; summarise with '
          f'python tools/analysis_tools/summarize_seeds.py {work_root}')
    return statuses


if __name__ == '__main__':
    try:
        statuses = main()
    except SeedSettingsError as error:
        sys.exit(f'error: {error}')
    sys.exit(0 if all(s == 'finished' for s in statuses.values()) else 1)
