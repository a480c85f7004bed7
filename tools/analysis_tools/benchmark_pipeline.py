#!/usr/bin/env python
"""Data-loading throughput of single-view and DualView pipelines.

Measures images a second (decoded images, whatever the number of views) of
mmpretrain pipelines run in this process (no DataLoader workers), for:

- CIFAR style: 32 x 32 uint8 arrays in memory -> RandomCrop 32 pad 4 +
  horizontal flip -> PackInputs;
- ImageNet style: a JPEG (``--jpeg-size``, written to a temporary folder)
  -> LoadImageFromFile (decode) -> RandomResizedCrop 224 + flip ->
  PackInputs.

each single-view and with :class:`~mmdccd.datasets.transforms.DualView`
(decode once, augment twice). Example::

    python tools/analysis_tools/benchmark_pipeline.py --num-images 2000 \
        --out docs/bench_pipeline.md
"""
import argparse
import os
import os.path as osp
import statistics
import tempfile
import time
from typing import Dict, List

import numpy as np

import mmdccd  # noqa: F401
from mmcv.transforms import Compose
from mmengine.registry import init_default_scope

CIFAR_AUG = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
]
IMAGENET_AUG = [
    dict(type='RandomResizedCrop', scale=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
]


def pipeline(style: str, views: int) -> Compose:
    aug = CIFAR_AUG if style == 'cifar' else IMAGENET_AUG
    steps = [] if style == 'cifar' else [dict(type='LoadImageFromFile')]
    steps += aug if views == 1 else [dict(type='DualView', transforms=aug)]
    steps.append(dict(type='PackInputs'))
    from mmpretrain.registry import TRANSFORMS
    return Compose([TRANSFORMS.build(s) for s in steps])


def inputs(style: str, n: int, tmp: str, jpeg_size: int) -> List[Dict]:
    rng = np.random.default_rng(0)
    if style == 'cifar':
        imgs = rng.integers(0, 256, (min(n, 1000), 32, 32, 3), np.uint8)
        return [dict(img=imgs[i % len(imgs)], gt_label=0) for i in range(n)]
    import cv2
    path = osp.join(tmp, 'img.jpg')
    # a smooth image (JPEG-like content), not noise
    yy, xx = np.mgrid[:jpeg_size[1], :jpeg_size[0]]
    img = np.stack([(xx * 0.5) % 256, (yy * 0.7) % 256, (xx + yy) % 256],
                   -1).astype(np.uint8)
    cv2.imwrite(path, img)
    return [dict(img_path=path, gt_label=0) for _ in range(n)]


def measure(style: str, views: int, n: int, repeats: int, tmp: str,
            jpeg_size) -> float:
    """Median images / s over ``repeats`` passes of ``n`` images."""
    pipe = pipeline(style, views)
    data = inputs(style, n, tmp, jpeg_size)
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for d in data:
            out = pipe(dict(d))
        rates.append(n / (time.perf_counter() - start))
    inputs_ = out['inputs']
    got = len(inputs_) if isinstance(inputs_, list) else 1
    if got != views:
        raise RuntimeError(f'expected {views} views, got {got}')
    return statistics.median(rates)


def main(argv=None) -> Dict:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--num-images', type=int, default=2000,
                        help='CIFAR images a pass (ImageNet: / 10)')
    parser.add_argument('--repeats', type=int, default=3)
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
                rate = measure(style, views, n, args.repeats, tmp,
                               args.jpeg_size)
                results[(style, views)] = rate
                print(f'{style} {views} view(s): {rate:.0f} images/s',
                      flush=True)
    lines = [
        '| pipeline | single view (images/s) | DualView (images/s) | '
        'DualView / single |', '| --- | ---: | ---: | ---: |'
    ]
    names = dict(
        cifar='CIFAR: array -> RandomCrop 32 pad 4 + flip',
        imagenet=f'ImageNet: decode {args.jpeg_size[0]}x'
        f'{args.jpeg_size[1]} JPEG -> RandomResizedCrop 224 + flip')
    for style in ('cifar', 'imagenet'):
        one, two = results[(style, 1)], results[(style, 2)]
        lines.append(f'| {names[style]} | {one:.0f} | {two:.0f} | '
                     f'{two / one:.2f} |')
    table = '\n'.join(lines)
    print('\n' + table)
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            f.write(table + '\n')
        print(f'\nwrote {args.out}')
    return {f'{s}_{v}': r for (s, v), r in results.items()}


if __name__ == '__main__':
    main()
