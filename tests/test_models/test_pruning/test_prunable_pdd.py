"""Pruning the PDD authors' networks: the masks where the authors put them
and the 76.4 % of the paper's VGG11 widths (pruned == masked for them is in
test_pdd_pruner.py)."""
import pytest
import torch
from mmpretrain.registry import MODELS

import mmdccd  # noqa: F401
from mmdccd.models.pruning import (complexity_report, count_parameters,
                                   prune_classifier)
from tests.test_models.test_backbones.test_pdd_backbones import (
    A_V16_V11_C10, resnet_cfg, vgg_cfg)
from tests.test_models.test_pruning.test_pdd_pruner import build_with_gates

RESNET20 = dict(
    resnet_cfg(depth=20),
    backbone=dict(type='PrunablePDDCIFARResNet', depth=20))
VGG11 = dict(
    vgg_cfg(depth=11), backbone=dict(type='PrunablePDDCIFARVGG', depth=11))


def test_masks_where_the_authors_put_them():
    model = MODELS.build(RESNET20)
    masks = model.backbone.pdd_masks
    # one per block output (their mask.0 .. mask.8), one per block inside
    assert [masks[f'block{j}'].num_channels for j in range(9)] == \
        [16, 16, 32, 32, 32, 64, 64, 64, 64]
    assert [masks[f'block{j}_mid'].num_channels for j in range(9)] == \
        [16, 16, 32, 32, 32, 64, 64, 64, 64]
    # masks are not counted, and the dense keys are PDDCIFARResNet's
    dense = MODELS.build(resnet_cfg(depth=20))
    assert count_parameters(model) == count_parameters(dense) == 339034
    assert {k for k in model.state_dict() if 'pdd_masks' not in k} == \
        set(dense.state_dict())
    # a closed output channel of block 2 is zero in that block's output
    with torch.no_grad():
        masks['block2'].m.fill_(1.0)
        masks['block2'].m[[0, 9, 31]] = -1.0
    out = {}
    model.backbone.layer1[2].register_forward_hook(
        lambda m, a, y: out.update(y=y))
    model(torch.randn(2, 3, 32, 32), mode='tensor')
    assert out['y'][:, [0, 9, 31]].abs().max() == 0
    assert out['y'][:, 1:9].abs().max() > 0
    vgg = MODELS.build(VGG11).backbone
    assert [vgg.pdd_masks[f'block{i}_{k}'].num_channels
            for i, w in enumerate(vgg.arch) for k in range(len(w))] == \
        [64, 128, 256, 256, 512, 512, 512, 512]


def test_vgg11_to_the_papers_widths_removes_76_4_percent():
    counts = {f'block{i}_{k}': w
              for i, ws in enumerate(A_V16_V11_C10) for k, w in enumerate(ws)}
    masked = build_with_gates(VGG11, counts)
    pruned, widths, _ = prune_classifier(masked, VGG11)
    assert widths == counts
    report = complexity_report(masked, pruned)
    assert report['params_before'] == 9756426
    assert report['params_after'] == 2301177
    assert round(100 * report['params_removed'], 1) == 76.4
    assert report['thop_flops_removed'] == pytest.approx(0.7492, abs=5e-5)
    assert report['flops_removed'] == pytest.approx(0.7503, abs=5e-5)
    assert pruned.backbone.classifier[1].in_features == 368
