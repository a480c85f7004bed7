#!/usr/bin/env python
"""Training cost of the shipped DCCD, KD, CRD and student configs as a
ratio to DCCD's compute floor (mmdccd.experiments.benchmark).

Example::

    python tools/analysis_tools/benchmark_distill.py \
        --pairs resnet56-resnet20 resnet32x4-resnet8x4 --batch-size 64 \
        --rounds 15 --iters 5 --warmup 2 --threads 2 --profile 3 \
        --out bench_cpu.md
"""
import argparse
import os
import os.path as osp
import time

import torch

import mmdccd  # noqa: F401
from mmdccd.experiments import benchmark
from mmdccd.utils import retain_freed_memory


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--pairs', nargs='+', default=['resnet56-resnet20'],
                        choices=sorted(benchmark.PAIRS))
    parser.add_argument('--methods', nargs='+',
                        default=list(benchmark.METHODS),
                        choices=benchmark.METHODS,
                        help='ratios need the floor among them')
    parser.add_argument('--batch-size', type=int, default=64,
                        help='b: images of DCCD (x 2 views) and of the '
                        'student alone; KD and CRD get 2b')
    parser.add_argument('--rounds', type=int, default=11,
                        help='rounds; a method\'s figure is the median of '
                        'its per-round ratios to the floor')
    parser.add_argument('--iters', type=int, default=5,
                        help='passes a round; a pass runs every method in a '
                        'new random order, one timed iteration each')
    parser.add_argument('--warmup', type=int, default=2,
                        help='untimed iterations of a method before each of '
                        'its timed ones')
    parser.add_argument('--profile', type=int, default=0,
                        help='profiled DCCD and floor iterations for the '
                        'breakdown and the operator counts (0: none)')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the round orders')
    parser.add_argument('--device',
                        default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--threads', type=int, default=None,
                        help='torch CPU threads, pinned to as many cores '
                        '(default: every core this process may use)')
    parser.add_argument(
        '--glibc-malloc',
        action='store_true',
        help='on the CPU, keep glibc\'s malloc defaults (freed activations '
        'go back to the kernel and fault in again every iteration) instead '
        'of retaining freed memory as tools/train.py does')
    parser.add_argument('--out', default=None, help='markdown report file')
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    threads = benchmark.pin_threads(args.threads)
    if args.device == 'cpu':
        retained = not args.glibc_malloc and retain_freed_memory()
        threads += (', freed host memory retained' if retained else
                    ', glibc malloc defaults')
    start = time.perf_counter()
    reports, out = [], {}
    for pair in args.pairs:
        out[pair] = benchmark.benchmark_pair(
            pair, args.methods, args.batch_size, args.rounds, args.iters,
            args.warmup, args.device, args.profile, args.seed,
            lambda line: print(line, flush=True))
        if 'breakdown' in out[pair]:
            reports.append(benchmark.format_breakdown(
                pair, out[pair]['breakdown'], out[pair]['breakdown_ops'],
                out[pair].get('floor_ms')))
        if 'extra_operators' in out[pair]:
            reports.append(benchmark.format_operators(
                pair, out[pair]['extra_operators']))
    device = (f'CPU, {threads}' if args.device == 'cpu' else
              torch.cuda.get_device_name(args.device))
    header = (f'{device}; b = {args.batch_size}; {args.rounds} rounds of '
              f'{args.iters} passes, a pass every method in a new random '
              f'order, {args.warmup} untimed and 1 timed iteration each; '
              'time / floor '
              'is the median of the per-round ratios (interquartile range); '
              f'torch {torch.__version__}; '
              f'{time.perf_counter() - start:.0f} s')
    table = benchmark.format_table(
        [r for pair in args.pairs for r in out[pair]['results']],
        args.device)
    text = '\n\n'.join([header, table] + reports)
    print('\n' + text)
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            f.write(text + '\n')
        print(f'\nwrote {args.out}')
    return out


if __name__ == '__main__':
    main()
