#!/usr/bin/env python
"""Data-loading throughput: single view, DualView, and both views drawn in
the data preprocessor (mmdccd.experiments.pipeline_benchmark).

Example::

    python tools/analysis_tools/benchmark_pipeline.py --num-images 2000 \
        --batch-size 64 --device cpu --out bench_pipeline.md
"""
import argparse
import os
import os.path as osp
import tempfile

import mmdccd  # noqa: F401
from mmdccd.experiments import pipeline_benchmark as pb
from mmengine.registry import init_default_scope


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--num-images', type=int, default=2000,
                        help='CIFAR images a pass (ImageNet: / 10)')
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--batch-size', type=int, default=64,
                        help='images a batch of the preprocessor rows')
    parser.add_argument('--device', default='cpu',
                        help='device of the data preprocessor')
    parser.add_argument('--jpeg-size', type=int, nargs=2, default=[500, 375],
                        help='width height of the JPEG (ImageNet average)')
    parser.add_argument('--out', default=None, help='markdown table file')
    args = parser.parse_args(argv)
    init_default_scope('mmpretrain')
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for style, n in (('cifar', args.num_images),
                         ('imagenet', max(args.num_images // 10, 10))):
            for views in (1, 2):
                rate = pb.measure_pipeline(style, views, n, args.repeats,
                                           tmp, args.jpeg_size)
                results[f'{style}_{views}'] = rate
                print(f'{style} pipeline, {views} view(s): {rate:.0f} '
                      'images/s', flush=True)
    for mode in pb.MODES:
        rate = pb.measure_with_preprocessor(mode, args.num_images,
                                            args.batch_size, args.repeats,
                                            args.device)
        results[f'cifar_{mode}_preprocessed'] = rate
        print(f'cifar pipeline + preprocessor ({args.device}), {mode}: '
              f'{rate:.0f} images/s', flush=True)
    names = dict(
        cifar='CIFAR: array -> RandomCrop 32 pad 4 + flip',
        imagenet=f'ImageNet: decode {args.jpeg_size[0]}x'
        f'{args.jpeg_size[1]} JPEG -> RandomResizedCrop 224 + flip')
    lines = [
        '| pipeline | single view (images/s) | DualView (images/s) | '
        'DualView / single |', '| --- | ---: | ---: | ---: |'
    ]
    for style in ('cifar', 'imagenet'):
        one, two = results[f'{style}_1'], results[f'{style}_2']
        lines.append(f'| {names[style]} | {one:.0f} | {two:.0f} | '
                     f'{two / one:.2f} |')
    single = results['cifar_single_preprocessed']
    lines += [
        '', f'CIFAR pipeline + pseudo_collate + data preprocessor on '
        f'{args.device}, batches of {args.batch_size}:', '',
        '| views made by | views | images/s | / single view |',
        '| --- | ---: | ---: | ---: |'
    ]
    for mode, label in (('single', 'RandomCrop + RandomFlip (pipeline)'),
                        ('dualview', 'DualView (pipeline)'),
                        ('batchviews', 'batch_views (preprocessor)')):
        rate = results[f'cifar_{mode}_preprocessed']
        lines.append(f'| {label} | {pb.MODES[mode]} | {rate:.0f} | '
                     f'{rate / single:.2f} |')
    table = '\n'.join(lines)
    print('\n' + table)
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            f.write(table + '\n')
        print(f'\nwrote {args.out}')
    return results


if __name__ == '__main__':
    main()
