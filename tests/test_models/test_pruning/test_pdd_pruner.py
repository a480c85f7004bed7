"""Pruning a PDD-masked student: real smaller network, same outputs, and
parameter / FLOP counts checked against counts made by hand."""
import copy

import pytest
import torch
import torch.nn as nn
from mmpretrain.registry import MODELS

import mmdccd  # noqa: F401
from mmdccd.models.pruning import (complexity_report, count_flops,
                                   count_parameters, prune_classifier)
from mmdccd.models.pruning.prunable_resnet import \
    PrunableCIFARResNet  # noqa: F401
from mmdccd.models.pruning.prunable_vgg import PrunableCIFARVGG  # noqa: F401


def classifier_cfg(backbone: dict, width: int, classes: int = 10) -> dict:
    return dict(
        type='ImageClassifier',
        backbone=backbone,
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead', num_classes=classes, in_channels=width))


def build_with_gates(cfg: dict, open_counts: dict, seed: int = 0):
    """Build the masked classifier; open the first ``open_counts[group]``
    channels of each listed group (m = 0.5) and close the rest (m = -0.5);
    unlisted groups stay fully open. BN statistics are randomised so that
    eval mode is not trivial."""
    torch.manual_seed(seed)
    model = MODELS.build(cfg)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.running_mean.normal_()
            module.running_var.uniform_(0.5, 2.0)
            module.weight.data.normal_()
            module.bias.data.normal_()
    with torch.no_grad():
        for name, mask in model.backbone.pdd_masks.items():
            mask.m.fill_(0.5)
            if name in open_counts:
                closed = torch.randperm(mask.num_channels)[open_counts[name]:]
                mask.m[closed] = -0.5
    model.eval()
    return model


RESNET8 = classifier_cfg(dict(type='PrunableCIFARResNet', depth=8), 64)
VGG8 = classifier_cfg(dict(type='PrunableCIFARVGG', depth=8), 512)


@pytest.mark.parametrize('cfg,open_counts', [
    (RESNET8, dict(stage1=5, stage2=7, stage3=9, layer1_0=3, layer2_0=4,
                   layer3_0=6)),
    (classifier_cfg(dict(type='PrunableCIFARResNet', depth=8, widen=4), 256),
     dict(stage1=20, stage3=100, layer2_0=30)),
    (classifier_cfg(dict(type='PrunableCIFARResNet', depth=14), 64),
     dict(stage1=4, stage2=30, layer1_1=2, layer3_1=1)),
    (VGG8, dict(block0_0=10, block1_0=20, block2_0=30, block3_0=40,
                block4_0=50)),
    (classifier_cfg(dict(type='PrunableCIFARVGG', depth=11), 512),
     dict(block2_0=7, block2_1=9, block4_1=11)),
    # the PDD authors' networks: zero-padded shortcuts, per-block masks
    (classifier_cfg(dict(type='PrunablePDDCIFARResNet', depth=20), 64),
     dict(block0=5, block1=9, block2=20, block3=7, block5=40, block8=11,
          block2_mid=3, block6_mid=30)),
    (classifier_cfg(dict(type='PrunablePDDCIFARResNet', depth=20), 64),
     dict(block2=1, block5=1, block4_mid=1)),
    (dict(classifier_cfg(dict(type='PrunablePDDCIFARVGG', depth=11), 512),
          neck=None), dict(block0_0=10, block2_1=30, block4_1=50)),
])
def test_pruned_network_equals_masked_network(cfg, open_counts):
    masked = build_with_gates(cfg, open_counts)
    x = torch.randn(3, 3, 32, 32)
    with torch.no_grad():
        expected = masked(x, mode='tensor')
    pruned, widths, pruned_cfg = prune_classifier(masked, cfg)
    pruned.eval()
    assert not hasattr(pruned.backbone, 'pdd_masks')
    for name, count in open_counts.items():
        assert widths[name] == count
    with torch.no_grad():
        torch.testing.assert_close(
            pruned(x, mode='tensor'), expected, rtol=1e-4, atol=1e-5)
    assert count_parameters(pruned) < count_parameters(masked)
    # a fresh build of the pruned config (the fine-tune path) loads the
    # pruned weights strictly and computes the same
    rebuilt = MODELS.build(copy.deepcopy(pruned_cfg))
    rebuilt.load_state_dict(pruned.state_dict(), strict=True)
    rebuilt.eval()
    with torch.no_grad():
        torch.testing.assert_close(
            rebuilt(x, mode='tensor'), expected, rtol=1e-4, atol=1e-5)


def test_report_matches_hand_count_resnet8():
    # widths: stem/stage1 s1, block-internal b1, b2, b3; stage2 s2, stage3 s3
    s1, s2, s3, b1, b2, b3 = 5, 7, 9, 3, 4, 6
    masked = build_with_gates(
        RESNET8, dict(stage1=s1, stage2=s2, stage3=s3, layer1_0=b1,
                      layer2_0=b2, layer3_0=b3))
    pruned, _, _ = prune_classifier(masked, RESNET8)

    def conv(cin, cout, k, hw):  # (params incl. BN, MACs)
        return cin * cout * k * k + 2 * cout, cout * hw * hw * cin * k * k

    layers = [
        conv(3, s1, 3, 32),  # stem
        conv(s1, b1, 3, 32), conv(b1, s1, 3, 32),  # layer1.0
        conv(s1, b2, 3, 16), conv(b2, s2, 3, 16), conv(s1, s2, 1, 16),
        conv(s2, b3, 3, 8), conv(b3, s3, 3, 8), conv(s2, s3, 1, 8),
    ]
    params = sum(p for p, _ in layers) + s3 * 10 + 10
    flops = sum(f for _, f in layers) + s3 * 10
    dense = dict(p=0, f=0)
    full = [conv(3, 16, 3, 32), conv(16, 16, 3, 32), conv(16, 16, 3, 32),
            conv(16, 32, 3, 16), conv(32, 32, 3, 16), conv(16, 32, 1, 16),
            conv(32, 64, 3, 8), conv(64, 64, 3, 8), conv(32, 64, 1, 8)]
    dense['p'] = sum(p for p, _ in full) + 64 * 10 + 10
    dense['f'] = sum(f for _, f in full) + 64 * 10
    report = complexity_report(masked, pruned)
    assert report['params_after'] == params
    assert report['flops_after'] == flops
    assert report['params_before'] == dense['p']
    assert report['flops_before'] == dense['f']
    assert report['flops_removed'] == pytest.approx(1 - flops / dense['f'])
    assert report['params_removed'] == pytest.approx(1 - params / dense['p'])


def test_report_matches_hand_count_vgg8():
    w = [10, 20, 30, 40, 50]
    masked = build_with_gates(VGG8, {f'block{i}_0': n for i, n in
                                     enumerate(w)})
    pruned, _, _ = prune_classifier(masked, VGG8)
    cins, sizes = [3] + w[:-1], [32, 16, 8, 4, 4]
    # conv weight + conv bias + BN weight and bias
    params = sum(ci * co * 9 + co + 2 * co for ci, co in zip(cins, w))
    params += w[-1] * 10 + 10
    flops = sum(co * s * s * ci * 9 for ci, co, s in zip(cins, w, sizes))
    flops += w[-1] * 10
    assert count_parameters(pruned) == params
    assert count_flops(pruned) == flops


def test_all_closed_group_raises():
    masked = build_with_gates(RESNET8, dict(layer2_0=0))
    with pytest.raises(ValueError, match="'layer2_0' keeps no channel"):
        prune_classifier(masked, RESNET8)


def test_masks_get_gradients_and_are_not_counted():
    torch.manual_seed(0)
    model = MODELS.build(RESNET8)
    model.train()
    loss = model(torch.randn(4, 3, 32, 32), mode='tensor').pow(2).sum()
    loss.backward()
    masks = model.backbone.pdd_masks
    assert all(mask.m.grad is not None and mask.m.grad.abs().sum() > 0
               for mask in masks.values())
    dense = MODELS.build(classifier_cfg(dict(type='CIFARResNet', depth=8),
                                        64))
    assert count_parameters(model) == count_parameters(dense)
    # same state-dict keys as CIFARResNet apart from the masks
    keys = {k for k in model.state_dict() if 'pdd_masks' not in k}
    assert keys == set(dense.state_dict())
