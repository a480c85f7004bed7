"""Every config under configs/ loads with ``Config.fromfile`` and builds its
model; the CIFAR-100 network bases have the benchmark's parameter counts."""
from unittest import mock

import pytest
import torch

from tests.test_configs.config_utils import (SHORT_NAMES, all_configs,
                                             build_model, load, network_cfgs,
                                             network_name, reference_models)


@pytest.fixture(scope='module', autouse=True)
def _registered():
    import mmdccd  # noqa: F401  (registers backbones, DCCD, datasets)
    import mmdccd.datasets.crd_sample  # noqa: F401
    import mmdccd.datasets.transforms.rotate90  # noqa: F401


def _skip_weight_init():
    """Building ~170 models is dominated by weight initialisation and by
    the 50,000-entry alias table of mmrazor's CRD memory; neither matters
    for "does the config build", so they are skipped here (the training
    test builds real models)."""
    from mmrazor.models.losses import crd_loss

    class _NoAlias:

        def __init__(self, probs):
            self.size = len(probs)

    return [
        mock.patch.object(torch.nn.modules.conv._ConvNd, 'reset_parameters',
                          lambda self: None),
        mock.patch.object(torch.nn.Linear, 'reset_parameters',
                          lambda self: None),
        mock.patch.object(crd_loss, 'AliasMethod', _NoAlias),
    ]


@pytest.mark.parametrize('path', all_configs())
def test_config_loads_and_builds(path):
    cfg = load(path)
    assert cfg.default_scope == 'mmpretrain', path
    assert 'mmdccd' in cfg.custom_imports['imports']
    patches = _skip_weight_init()
    for p in patches:
        p.start()
    try:
        model = build_model(cfg)
    finally:
        for p in patches:
            p.stop()
    assert isinstance(model, torch.nn.Module)
    if cfg.model.get('type') == 'DCCD':
        # the paper's rule beta * d = 25.6 (d: the teacher's feature width)
        teacher = network_name(cfg.model.teacher) if '_c100' in path else None
        if teacher is not None:
            width = reference_models()[teacher]['feat_dim']
            assert model.beta == pytest.approx(25.6 / width), path
            assert model.beta == pytest.approx({
                64: 0.4, 128: 0.2, 256: 0.1, 512: 0.05, 2048: 0.0125
            }[width])


@pytest.mark.parametrize('name', sorted(SHORT_NAMES.values()))
def test_cifar_network_base_matches_benchmark(name):
    """configs/_base_/models/cifar/<name>.py builds the benchmark network:
    parameter count (100 classes) and head width from cifar_models.json."""
    from mmpretrain.registry import MODELS
    ref = reference_models()[name]
    cfg = network_cfgs()[name]
    assert cfg['head']['num_classes'] == 100
    assert cfg['head']['in_channels'] == ref['feat_dim']
    # the same backbone as the package's table of benchmark networks
    # (arguments left at their defaults may be written or not)
    import inspect

    from mmdccd.models.backbones import get_cifar_arch
    table = get_cifar_arch(name).backbone
    assert cfg['backbone']['type'] == table['type']
    defaults = {
        k: v.default
        for k, v in inspect.signature(
            MODELS.get(table['type']).__init__).parameters.items()
    }

    def explicit(backbone):
        return {k: v for k, v in backbone.items()
                if k != 'type' and defaults.get(k, object()) != v}

    assert explicit(cfg['backbone']) == explicit(table)
    with mock.patch.object(torch.nn.modules.conv._ConvNd, 'reset_parameters',
                           lambda self: None):
        model = MODELS.build(cfg)
    assert sum(p.numel() for p in model.parameters()) == ref['params']
