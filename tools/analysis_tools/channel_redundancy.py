#!/usr/bin/env python
"""Channel redundancy of a trained classifier (paper figs. 1, 8a and 8b).

From the pooled penultimate features (the linear head's input) of the
classifier in CONFIG (the student, for a distillation config) with the
weights of CHECKPOINT, on ``--num-images`` images of a dataset split::

    python tools/analysis_tools/channel_redundancy.py CONFIG CHECKPOINT \
        [--split test] [--num-images 1000] [--out-dir DIR]

writes to ``--out-dir``:

- ``instance_similarity.png``: the N x N cosine similarity of the images'
  features, images sorted by label (fig. 1);
- ``channel_tsne.png``: scikit-learn's t-SNE of the channels, each channel a
  point = its standardised responses over the N images (fig. 8a; needs
  ``pip install 'mmdccd[analysis]'``);
- ``channel_distance.png``: the histogram of the channels' distances from
  their geometric median, the mean marked (fig. 8b);
- ``redundancy.json``: the numbers (``mean_dist_to_gm`` etc., see
  :mod:`mmdccd.evaluation.redundancy`) and the t-SNE coordinates.
"""
import argparse
import json
import os
import os.path as osp

import torch

import mmdccd  # noqa: F401
from mmdccd.evaluation import (channel_points, channel_redundancy,
                               cosine_similarity_matrix,
                               extract_pooled_features, geometric_median,
                               tsne_channels)
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmengine.runner import Runner, load_checkpoint
from mmrazor.registry import MODELS

SPLITS = ('train', 'val', 'test')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Channel redundancy analysis (paper figs. 1 and 8).')
    parser.add_argument('config', help='model config (classifier or '
                        'distillation; the student is analysed)')
    parser.add_argument('checkpoint', help='checkpoint of that config')
    parser.add_argument(
        '--split',
        choices=SPLITS,
        default='test',
        help='dataloader of the config to take images from: test, val '
        '(test/val_dataloader) or train (train_dataloader with the test '
        'pipeline)')
    parser.add_argument(
        '--num-images', type=int, default=1000, help='images used (N)')
    parser.add_argument(
        '--out-dir', default=None, help='default: work_dirs/redundancy/'
        '<config name>')
    parser.add_argument(
        '--tsne-iters', type=int, default=1000,
        help='t-SNE steps (scikit-learn\'s max_iter, at least 250)')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, e.g. '
        'test_dataloader.dataset.data_root=DIR')
    return parser.parse_args(argv)


def build_loader(cfg: Config, split: str):
    """The config's dataloader for ``split`` (no shuffling)."""
    loader_cfg = cfg.get(f'{split}_dataloader')
    if loader_cfg is None:
        raise ValueError(f'the config has no {split}_dataloader; choose '
                         f'another --split of {SPLITS}.')
    loader_cfg = loader_cfg.copy()
    if split == 'train':
        loader_cfg.dataset.pipeline = cfg.test_dataloader.dataset.pipeline
    loader_cfg.sampler = dict(type='DefaultSampler', shuffle=False)
    loader_cfg.num_workers = 0
    loader_cfg.persistent_workers = False
    return Runner.build_dataloader(loader_cfg)


def collect_labels(loader, n: int) -> torch.Tensor:
    """Ground-truth labels of the first ``n`` images of ``loader``."""
    labels = []
    for data in loader:
        labels += [int(s.gt_label) for s in data['data_samples']]
        if len(labels) >= n:
            break
    return torch.tensor(labels[:n])


def plot(out_dir: str, sim: torch.Tensor, labels: torch.Tensor,
         emb: torch.Tensor, dist: torch.Tensor, numbers: dict,
         title: str) -> dict:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    paths = {
        k: osp.join(out_dir, f'{k}.png')
        for k in ('instance_similarity', 'channel_tsne', 'channel_distance')
    }
    order = torch.argsort(labels, stable=True)
    fig, ax = plt.subplots(figsize=(5, 4.4))
    im = ax.imshow(sim[order][:, order].numpy(), cmap='viridis', vmin=-1,
                   vmax=1)
    fig.colorbar(im, ax=ax)
    ax.set_title(f'{title}\ninstance cosine similarity (sorted by label)',
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(paths['instance_similarity'], dpi=100)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    sc = ax.scatter(emb[:, 0], emb[:, 1], c=dist.numpy(), cmap='coolwarm',
                    s=18)
    fig.colorbar(sc, ax=ax, label='distance from geometric median')
    ax.set_title(f'{title}\nt-SNE of {len(emb)} channels', fontsize=9)
    fig.tight_layout()
    fig.savefig(paths['channel_tsne'], dpi=100)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    ax.hist(dist.numpy(), bins=30)
    ax.axvline(numbers['mean_dist_to_gm'], color='r',
               label=f'mean {numbers["mean_dist_to_gm"]:.3f}')
    ax.set_xlabel('distance of a channel from the geometric median')
    ax.set_ylabel('channels')
    ax.legend()
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(paths['channel_distance'], dpi=100)
    plt.close(fig)
    return paths


def main(argv=None) -> dict:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    model_cfg = cfg.model.copy()
    if 'teacher_ckpt' in model_cfg:
        model_cfg.teacher_ckpt = None  # the checkpoint holds the teacher
    # as mmengine's Runner: a top-level data_preprocessor (DCCD's two views)
    if cfg.get('data_preprocessor') is not None:
        model_cfg.setdefault('data_preprocessor', cfg.data_preprocessor)
    model = MODELS.build(model_cfg)
    load_checkpoint(model, args.checkpoint, map_location='cpu')
    model.to(args.device)

    loader = build_loader(cfg, args.split)
    feats = extract_pooled_features(model, loader, args.num_images)
    labels = collect_labels(loader, feats.shape[0])
    n, c = feats.shape
    print(f'features: {n} {args.split} images x {c} channels')

    numbers = channel_redundancy(feats)
    points = channel_points(feats)
    median = geometric_median(points)
    dist = (points.double() - median).norm(dim=1)
    emb = tsne_channels(feats, num_iters=args.tsne_iters) if c >= 4 else \
        torch.zeros(c, 2)
    sim = cosine_similarity_matrix(feats)

    name = osp.splitext(osp.basename(args.config))[0]
    out_dir = args.out_dir or osp.join('work_dirs', 'redundancy', name)
    os.makedirs(out_dir, exist_ok=True)
    paths = plot(out_dir, sim, labels, emb, dist, numbers,
                 f'{name} ({args.split}, N={n})')
    result = dict(
        config=args.config,
        checkpoint=args.checkpoint,
        split=args.split,
        num_images=n,
        num_channels=c,
        **numbers,
        channel_dist_to_gm=dist.tolist(),
        channel_tsne=emb.tolist())
    paths['json'] = osp.join(out_dir, 'redundancy.json')
    with open(paths['json'], 'w') as f:
        json.dump(result, f, indent=1)
    print(f'mean distance of the {c} channels from their geometric median: '
          f'{numbers["mean_dist_to_gm"]:.4f} (larger = less redundant); mean '
          f'|channel correlation| {numbers["mean_abs_channel_corr"]:.4f}; '
          f'mean instance cosine {numbers["mean_instance_cosine"]:.4f}')
    for path in paths.values():
        print(f'wrote {path}')
    return result


if __name__ == '__main__':
    main()
