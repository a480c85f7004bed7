"""The 22 networks of the CRD benchmark, by their RepDistiller names.

One table maps each name (as ``--model`` of RepDistiller's scripts) to the
mmdccd backbone config that rebuilds it and to the width of its pooled
feature. The benchmark network itself is

    ImageClassifier(backbone, GlobalAveragePooling, LinearClsHead(feat_dim))

(:func:`cifar_classifier_cfg`). Parameter counts for 100 classes are pinned
in tests/test_models/test_backbones/test_cifar_backbones.py.
"""
import copy
from typing import Dict, NamedTuple


class CIFARArch(NamedTuple):
    """A benchmark network: its backbone config and pooled feature width."""
    backbone: dict
    feat_dim: int


def _resnet(depth: int, widen: int = 1) -> CIFARArch:
    return CIFARArch(
        dict(type='CIFARResNet', depth=depth, widen=widen),
        2048 if depth == 50 else 64 * widen)


def _wrn(depth: int, k: int) -> CIFARArch:
    return CIFARArch(
        dict(type='WideResNet', depth=depth, widen_factor=k), 64 * k)


REPDISTILLER_ARCHS: Dict[str, CIFARArch] = {
    **{f'resnet{d}': _resnet(d)
       for d in (8, 14, 20, 32, 44, 56, 110)},
    'resnet8x4': _resnet(8, 4),
    'resnet32x4': _resnet(32, 4),
    'ResNet50': _resnet(50),
    **{f'wrn_{d}_{k}': _wrn(d, k)
       for d in (16, 40) for k in (1, 2)},
    **{f'vgg{d}': CIFARArch(dict(type='CIFARVGG', depth=d), 512)
       for d in (8, 11, 13, 16, 19)},
    'MobileNetV2': CIFARArch(dict(type='CIFARMobileNetV2'), 1280),
    'ShuffleV1': CIFARArch(dict(type='CIFARShuffleNetV1'), 960),
    'ShuffleV2': CIFARArch(dict(type='CIFARShuffleNetV2'), 1024),
}


def get_cifar_arch(name: str) -> CIFARArch:
    """Look a benchmark network up by its RepDistiller name.

    Args:
        name (str): e.g. ``'resnet8x4'``, ``'wrn_40_2'``, ``'ShuffleV1'``.

    Returns:
        CIFARArch: A deep copy (safe to modify).
    """
    if name not in REPDISTILLER_ARCHS:
        raise KeyError(f'unknown CRD-benchmark model {name!r}; expected one '
                       f'of {", ".join(REPDISTILLER_ARCHS)}.')
    return copy.deepcopy(REPDISTILLER_ARCHS[name])


def cifar_classifier_cfg(name: str, num_classes: int = 100) -> dict:
    """The mmpretrain ``ImageClassifier`` config of a benchmark network.

    Args:
        name (str): RepDistiller model name.
        num_classes (int): Classes of the linear head. Defaults to 100.

    Returns:
        dict: ``ImageClassifier`` config (backbone, GAP neck, linear head).
    """
    arch = get_cifar_arch(name)
    return dict(
        type='ImageClassifier',
        backbone=arch.backbone,
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=num_classes,
            in_channels=arch.feat_dim,
            loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
