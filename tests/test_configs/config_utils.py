"""Shared helpers of the config tests: loading (cached), model building,
the CIFAR-100 networks by RepDistiller name, and tiny CIFAR-format data."""
import copy
import functools
import glob
import json
import os.path as osp
import re
from typing import Dict, List, Optional

import numpy as np
from mmengine import Config
from mmengine.config import utils as config_utils

from tests.utils import REPO_ROOT

CONFIG_ROOT = osp.join(REPO_ROOT, 'configs')
# The CRD benchmark's parameter counts and feature widths of its CIFAR
# networks, read from the repository.
CIFAR_JSON = osp.join(REPO_ROOT, 'tests', 'data', 'cifar_models.json')

#: Short config names (``r56``, ``wrn40-2``, ``mv2`` ...) -> RepDistiller
#: model names (``resnet56``, ``wrn_40_2``, ``MobileNetV2`` ...).
SHORT_NAMES: Dict[str, str] = {
    **{f'r{d}': f'resnet{d}' for d in (8, 14, 20, 32, 44, 56, 110)},
    'r8x4': 'resnet8x4', 'r32x4': 'resnet32x4', 'r50': 'ResNet50',
    **{f'wrn{d}-{k}': f'wrn_{d}_{k}' for d in (16, 40) for k in (1, 2)},
    **{f'vgg{d}': f'vgg{d}' for d in (8, 11, 13, 16, 19)},
    'mv2': 'MobileNetV2', 'shv1': 'ShuffleV1', 'shv2': 'ShuffleV2',
}
LOW_LR_STUDENTS = ('MobileNetV2', 'ShuffleV1', 'ShuffleV2')

# mmengine re-reads ~85 mmpretrain metafiles for every ``mmpretrain::`` base
# of every config; the answer does not change within a test session.
if not hasattr(config_utils._get_cfg_metainfo, 'cache_info'):
    config_utils._get_cfg_metainfo = functools.lru_cache(maxsize=None)(
        config_utils._get_cfg_metainfo)


def reference_models() -> dict:
    """cifar_models.json: params, feat_dim and stage widths per network."""
    with open(CIFAR_JSON) as f:
        return json.load(f)


def all_configs() -> List[str]:
    """Every config under configs/ except the _base_ files, relative."""
    paths = glob.glob(osp.join(CONFIG_ROOT, '**', '*.py'), recursive=True)
    return sorted(
        osp.relpath(p, REPO_ROOT) for p in paths
        if '_base_' not in osp.relpath(p, CONFIG_ROOT).split(osp.sep))


def cifar_configs() -> List[str]:
    """The CIFAR-100 configs (``*_c100*.py``) of this suite."""
    return [p for p in all_configs() if '_c100' in osp.basename(p)]


@functools.lru_cache(maxsize=None)
def _load(path: str) -> Config:
    return Config.fromfile(osp.join(REPO_ROOT, path))


def load(path: str) -> Config:
    """``Config.fromfile`` of a repository-relative path (a fresh copy)."""
    return copy.deepcopy(_load(path))


@functools.lru_cache(maxsize=None)
def network_cfgs() -> Dict[str, dict]:
    """RepDistiller name -> the classifier dict of
    ``configs/_base_/models/cifar/<name>.py`` (``vgg.py`` for the VGGs, one
    file for the family)."""
    out = {}
    for name in SHORT_NAMES.values():
        fname = 'vgg' if name.startswith('vgg') else name
        cfg = Config.fromfile(
            osp.join(CONFIG_ROOT, '_base_', 'models', 'cifar', f'{fname}.py'))
        out[name] = cfg[name].to_dict()
    return out


def network_name(classifier: dict) -> str:
    """RepDistiller name of a classifier dict, found by its backbone."""
    backbone = dict(classifier['backbone'])
    for name, cfg in network_cfgs().items():
        if cfg['backbone'] == backbone:
            return name
    raise KeyError(f'no CIFAR network has the backbone {backbone}')


def parse_name(path: str) -> dict:
    """``{teacher}_{student}_c100[_suffix].py`` or ``{net}_c100[_suffix]``
    -> dict(teacher, student, suffix) with RepDistiller names."""
    stem = osp.splitext(osp.basename(path))[0]
    match = re.fullmatch(r'(?:([^_]+)_)?([^_]+)_c100(?:_(.+))?', stem)
    if match is None:
        raise ValueError(f'unexpected config name {stem}')
    teacher, student, suffix = match.groups()
    return dict(
        teacher=SHORT_NAMES[teacher] if teacher else None,
        student=SHORT_NAMES[student],
        suffix=suffix or '')


def build_model(cfg: Config):
    """Build ``cfg.model`` as the Runner does, without a teacher
    checkpoint (none is trained here)."""
    from mmdccd.experiments.benchmark import build_model
    return build_model(cfg)


def write_tiny_cifar100(root: str,
                        num_train: int = 8,
                        num_test: int = 4,
                        seed: int = 0) -> str:
    """Write ``root/cifar-100-python`` in the real pickle format (through
    tests/test_datasets/writers.py): random images, labels 0..3 cycling."""
    from mmpretrain.datasets.categories import CIFAR100_CATEGORIES

    from tests.test_datasets.writers import write_cifar100
    rng = np.random.default_rng(seed)
    train = rng.integers(0, 256, (num_train, 32, 32, 3), dtype=np.uint8)
    test = rng.integers(0, 256, (num_test, 32, 32, 3), dtype=np.uint8)
    return write_cifar100(root, train, [i % 4 for i in range(num_train)],
                          test, [i % 4 for i in range(num_test)],
                          list(CIFAR100_CATEGORIES))


def innermost_dataset(dataset: dict) -> dict:
    """The dataset dict that reads files (inside wrappers such as
    CRDSampleDataset)."""
    while 'dataset' in dataset:
        dataset = dataset['dataset']
    return dataset


def tiny_train_loader_cfg(cfg: Config, data_root: str,
                          batch_size: int = 2) -> dict:
    """``cfg.train_dataloader`` on generated data: ``data_root``, no md5
    check, small batch, no worker processes."""
    loader = copy.deepcopy(cfg.train_dataloader)
    loader.update(batch_size=batch_size, num_workers=0,
                  persistent_workers=False)
    inner = innermost_dataset(loader['dataset'])
    inner.update(data_root=data_root, verify_md5=False)
    return loader


def family(name: Optional[str]) -> Optional[str]:
    """Architecture family of a RepDistiller network name."""
    if name is None:
        return None
    if name == 'ResNet50':
        return 'ResNet50'
    for prefix in ('resnet', 'wrn', 'vgg'):
        if name.startswith(prefix):
            return prefix
    return name
