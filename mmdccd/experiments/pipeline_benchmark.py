"""Data-loading throughput of single-view, DualView and batch-drawn views.

Images a second (decoded images, whatever the number of views) of mmpretrain
pipelines run in this process (no DataLoader workers):

- :func:`measure_pipeline`: the pipeline alone, CIFAR style (32 x 32 uint8
  arrays in memory -> RandomCrop 32 pad 4 + flip -> PackInputs) or ImageNet
  style (a JPEG decoded -> RandomResizedCrop 224 + flip -> PackInputs), one
  view or :class:`~mmdccd.datasets.transforms.DualView` (decode once,
  augment twice);
- :func:`measure_with_preprocessor`: a CIFAR pipeline, ``pseudo_collate``
  and the data preprocessor together, in batches, since drawing the views in
  the preprocessor (``batch_views``) moves the augmentation there: one view
  (``ClsDataPreprocessor``), two views from ``DualView``, or two views drawn
  by :class:`~mmdccd.models.data_preprocessors.batch_views.BatchRandomCropFlip`
  on the preprocessor's device.
"""
import os.path as osp
import statistics
import time
from typing import Dict, List, Sequence

import numpy as np
import torch
from mmcv.transforms import Compose
from mmengine.dataset import pseudo_collate

CIFAR_AUG = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
]
IMAGENET_AUG = [
    dict(type='RandomResizedCrop', scale=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
]
#: CIFAR modes of :func:`measure_with_preprocessor`: views an image and
#: whether the augmentation runs in the pipeline.
MODES = dict(single=1, dualview=2, batchviews=2)
MEAN, STD = [129.3105, 124.1085, 112.404], [68.2125, 65.4075, 70.4055]


def pipeline(style: str, views: int, augment: bool = True) -> Compose:
    """The training pipeline of ``style`` (``'cifar'`` or ``'imagenet'``)
    with ``views`` views (``DualView`` for 2); ``augment=False`` packs the
    image as it is (views drawn later, in the preprocessor)."""
    from mmpretrain.registry import TRANSFORMS
    aug = CIFAR_AUG if style == 'cifar' else IMAGENET_AUG
    steps = [] if style == 'cifar' else [dict(type='LoadImageFromFile')]
    if augment:
        steps += aug if views == 1 else [
            dict(type='DualView', transforms=aug)
        ]
    steps.append(dict(type='PackInputs'))
    return Compose([TRANSFORMS.build(s) for s in steps])


def inputs(style: str, n: int, tmp: str, jpeg_size: Sequence[int]
           ) -> List[Dict]:
    """``n`` pipeline inputs: random CIFAR arrays (1,000 distinct), or one
    smooth ``jpeg_size`` (width, height) JPEG written under ``tmp``."""
    rng = np.random.default_rng(0)
    if style == 'cifar':
        imgs = rng.integers(0, 256, (min(n, 1000), 32, 32, 3), np.uint8)
        return [dict(img=imgs[i % len(imgs)], gt_label=0) for i in range(n)]
    import cv2
    path = osp.join(tmp, 'img.jpg')
    yy, xx = np.mgrid[:jpeg_size[1], :jpeg_size[0]]
    img = np.stack([(xx * 0.5) % 256, (yy * 0.7) % 256, (xx + yy) % 256],
                   -1).astype(np.uint8)
    cv2.imwrite(path, img)
    return [dict(img_path=path, gt_label=0) for _ in range(n)]


def measure_pipeline(style: str, views: int, n: int, repeats: int, tmp: str,
                     jpeg_size: Sequence[int]) -> float:
    """Median images a second over ``repeats`` passes of ``n`` images
    through the pipeline alone."""
    pipe = pipeline(style, views)
    data = inputs(style, n, tmp, jpeg_size)
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for d in data:
            out = pipe(dict(d))
        rates.append(n / (time.perf_counter() - start))
    got = len(out['inputs']) if isinstance(out['inputs'], list) else 1
    if got != views:
        raise RuntimeError(f'expected {views} views, got {got}')
    return statistics.median(rates)


def preprocessor(mode: str, device: str) -> torch.nn.Module:
    """The data preprocessor of a CIFAR ``mode`` (:data:`MODES`) on
    ``device``, with the CIFAR-100 configs' normalisation."""
    from mmpretrain.registry import MODELS
    cfg = dict(mean=MEAN, std=STD, to_rgb=False)
    if mode == 'single':
        cfg.update(type='ClsDataPreprocessor')
    else:
        cfg.update(type='MultiViewClsDataPreprocessor', num_views=2)
        if mode == 'batchviews':
            cfg.update(batch_views=dict(crop_size=32, padding=4, prob=0.5))
    return MODELS.build(cfg).to(device)


def measure_with_preprocessor(mode: str, n: int, batch_size: int,
                              repeats: int, device: str = 'cpu') -> float:
    """Median images a second over ``repeats`` passes of ``n`` CIFAR images
    through pipeline, collate and data preprocessor, in batches.

    Args:
        mode (str): A key of :data:`MODES`.
        n (int): Images a pass (a multiple of ``batch_size`` is timed).
        batch_size (int): Images a batch.
        repeats (int): Passes.
        device (str): Where the preprocessor runs. Defaults to ``'cpu'``.

    Returns:
        float: Images a second.
    """
    if mode not in MODES:
        raise ValueError(f'unknown mode {mode!r}; expected one of '
                         f'{sorted(MODES)}.')
    pipe = pipeline('cifar', MODES[mode], augment=mode != 'batchviews')
    pre = preprocessor(mode, device)
    data = inputs('cifar', n, '', ())
    batches = [
        data[i:i + batch_size]
        for i in range(0, n - batch_size + 1, batch_size)
    ]
    if not batches:
        raise ValueError(f'n ({n}) must be at least batch_size '
                         f'({batch_size}).')
    cuda = device.startswith('cuda')
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for batch in batches:
            out = pre(pseudo_collate([pipe(dict(d)) for d in batch]), True)
        if cuda:
            torch.cuda.synchronize(device)
        rates.append(len(batches) * batch_size /
                     (time.perf_counter() - start))
    rows = out['inputs'].shape[0]
    if rows != MODES[mode] * batch_size:
        raise RuntimeError(f'{mode}: expected {MODES[mode] * batch_size} '
                           f'rows a batch, got {rows}.')
    return statistics.median(rates)
