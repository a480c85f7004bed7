#!/usr/bin/env python
"""Predict the wall time of a full CIFAR-100 run of a shipped config from a
few short epochs through mmengine's Runner on generated data
(mmdccd.experiments.run_time).

Example (on a GPU host)::

    python tools/analysis_tools/predict_run_time.py \
        --work-dir work_dirs/run_time
"""
import argparse
import json
import os.path as osp

import torch

import mmdccd  # noqa: F401
from mmdccd.experiments.run_time import predict_run_time


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--config', default='configs/dccd/r56_r20_c100.py')
    parser.add_argument('--work-dir', default='work_dirs/run_time')
    parser.add_argument('--epochs', type=int, default=3,
                        help='short epochs run; the first is not timed')
    parser.add_argument('--iters', type=int, default=200,
                        help='training iterations of each short epoch')
    parser.add_argument('--device',
                        default='cuda' if torch.cuda.is_available() else 'cpu')
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    out = predict_run_time(args.work_dir, args.config, args.epochs,
                           args.iters, args.device)
    line = (f'{args.config} on {args.device}: {out["sec_per_iter"] * 1e3:.1f}'
            f' ms / iteration, validation {out["val_sec"]:.1f} s; predicted '
            f'{out["full_epochs"]} epochs x {out["full_iters_per_epoch"]} '
            f'iterations: {out["predicted_sec"] / 60:.1f} min '
            f'(compile: {out["compile"]})')
    print(line)
    path = osp.join(args.work_dir, 'run_time.json')
    with open(path, 'w') as f:
        json.dump(dict(out, summary=line), f, indent=1)
    print(f'wrote {path}')
    return out


if __name__ == '__main__':
    main()
