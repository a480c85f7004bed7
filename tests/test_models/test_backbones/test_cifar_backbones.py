"""The 22 CRD-benchmark CIFAR networks: parameter counts for 100 classes
(tests/data/cifar_models.json, exact), feature widths, spatial sizes
for a 32 x 32 input, and per-family structure from RepDistiller's CIFAR
models (github.com/HobbitLong/RepDistiller)."""
import json
import math
import os.path as osp

import pytest
import torch
import torch.nn as nn

import mmdccd  # noqa: F401
from mmpretrain.registry import MODELS

from mmdccd.models.backbones import (REPDISTILLER_ARCHS, CIFARMobileNetV2,
                                     CIFARResNet, CIFARShuffleNetV1,
                                     CIFARShuffleNetV2, CIFARVGG, WideResNet,
                                     cifar_classifier_cfg)
from mmdccd.models.backbones.wrn import PreActBasicBlock

REFERENCE = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'data',
    'cifar_models.json')
# The json's numbers (the benchmark's parameter counts), written out here
# too and compared with the file.
PARAMS_100 = {
    'resnet8': 83892, 'resnet14': 181108, 'resnet20': 278324,
    'resnet32': 472756, 'resnet44': 667188, 'resnet56': 861620,
    'resnet110': 1736564, 'resnet8x4': 1233540, 'resnet32x4': 7433860,
    'ResNet50': 23705252, 'wrn_16_1': 180916, 'wrn_16_2': 703284,
    'wrn_40_1': 569780, 'wrn_40_2': 2255156, 'vgg8': 3965028,
    'vgg11': 9277284, 'vgg13': 9462180, 'vgg16': 14774436,
    'vgg19': 20086692, 'MobileNetV2': 812836, 'ShuffleV1': 949258,
    'ShuffleV2': 1355528,
}  # yapf: disable
FEAT_DIM = {
    **{n: 64 for n in ('resnet8', 'resnet14', 'resnet20', 'resnet32',
                       'resnet44', 'resnet56', 'resnet110', 'wrn_16_1',
                       'wrn_40_1')},
    'resnet8x4': 256, 'resnet32x4': 256, 'ResNet50': 2048,
    'wrn_16_2': 128, 'wrn_40_2': 128,
    **{f'vgg{d}': 512 for d in (8, 11, 13, 16, 19)},
    'MobileNetV2': 1280, 'ShuffleV1': 960, 'ShuffleV2': 1024,
}  # yapf: disable

# The benchmark's intermediate features f1.. (reference section 2) as
# (out_indices of our backbone, (channels, spatial size) of each) for a
# 32 x 32 input.
FEATURES = {
    'resnet20': ((0, 1, 2), [(16, 32), (32, 16), (64, 8)]),
    'resnet8x4': ((0, 1, 2), [(64, 32), (128, 16), (256, 8)]),
    'ResNet50': ((0, 1, 2, 3), [(256, 32), (512, 16), (1024, 8),
                                (2048, 4)]),
    'wrn_16_2': ((0, 1, 2), [(32, 32), (64, 16), (128, 8)]),
    'vgg8': ((0, 1, 2, 3, 4), [(64, 32), (128, 16), (256, 8), (512, 4),
                               (512, 4)]),
    'MobileNetV2': ((1, 2, 4, 6, 7), [(12, 16), (16, 8), (48, 4), (160, 2),
                                      (1280, 2)]),
    'ShuffleV1': ((0, 1, 2), [(240, 16), (480, 8), (960, 4)]),
    'ShuffleV2': ((0, 1, 2, 3), [(116, 16), (232, 8), (464, 4),
                                 (1024, 4)]),
}  # yapf: disable


def num_params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def build(name: str, **backbone_overrides) -> nn.Module:
    cfg = cifar_classifier_cfg(name, num_classes=100)
    cfg['backbone'].update(backbone_overrides)
    return MODELS.build(cfg)


def test_table_covers_the_22_networks():
    assert set(REPDISTILLER_ARCHS) == set(PARAMS_100)
    if osp.exists(REFERENCE):
        with open(REFERENCE) as f:
            ref = json.load(f)
        assert {k: v['params'] for k, v in ref.items()} == PARAMS_100
        assert {k: v['feat_dim'] for k, v in ref.items()} == FEAT_DIM


def test_names_do_not_shadow_mmpretrain():
    import mmpretrain.models  # noqa: F401
    for name, cls in (('CIFARResNet', CIFARResNet),
                      ('WideResNet', WideResNet), ('CIFARVGG', CIFARVGG),
                      ('CIFARMobileNetV2', CIFARMobileNetV2),
                      ('CIFARShuffleNetV1', CIFARShuffleNetV1),
                      ('CIFARShuffleNetV2', CIFARShuffleNetV2)):
        assert MODELS.get(name) is cls
    # mmpretrain's own classes are still theirs.
    assert MODELS.get('ResNet_CIFAR').__module__.startswith('mmpretrain')
    assert MODELS.get('ShuffleNetV2').__module__.startswith('mmpretrain')


@pytest.mark.parametrize('name', list(PARAMS_100))
def test_param_count_and_pooled_width(name):
    model = build(name)
    assert num_params(model) == PARAMS_100[name]
    assert model.backbone.feat_dim == FEAT_DIM[name]
    assert model.head.fc.in_features == FEAT_DIM[name]
    # train()/eval() return the module (mmpretrain 1.2 returns None).
    assert model.backbone.eval() is model.backbone
    model.eval()
    with torch.no_grad():
        pooled = model.extract_feat(torch.zeros(1, 3, 32, 32))
        logits = model(torch.zeros(1, 3, 32, 32), mode='tensor')
    assert pooled[-1].shape == (1, FEAT_DIM[name])
    assert logits.shape == (1, 100)


@pytest.mark.parametrize('name', list(FEATURES))
def test_feature_maps(name):
    indices, expected = FEATURES[name]
    backbone = build(name, out_indices=indices).backbone.eval()
    with torch.no_grad():
        outs = backbone(torch.zeros(2, 3, 32, 32))
    assert [tuple(o.shape) for o in outs] == [(2, c, s, s)
                                             for c, s in expected]


def test_default_output_is_last_map_only():
    backbone = build('resnet56').backbone.eval()
    with torch.no_grad():
        outs = backbone(torch.zeros(1, 3, 32, 32))
    assert isinstance(outs, tuple) and len(outs) == 1
    assert outs[0].shape == (1, 64, 8, 8)


def _projection_params(backbone: nn.Module) -> int:
    return sum(
        num_params(m.downsample) for m in backbone.modules()
        if getattr(m, 'downsample', None) is not None)


def test_resnet_projection_shortcuts():
    # 16-wide nets: projections in layer2.0 and layer3.0 only (2,752
    # params = (16*32 + 2*32) + (32*64 + 2*64)); the x4 nets also project
    # the stem's 32 channels to 64 in layer1.0 (43,904 params).
    r20 = build('resnet20').backbone
    assert r20.layer1[0].downsample is None
    assert _projection_params(r20) == (16 * 32 + 64) + (32 * 64 + 128)
    assert _projection_params(r20) == 2752
    x4 = build('resnet8x4').backbone
    assert isinstance(x4.layer1[0].downsample[0], nn.Conv2d)
    assert isinstance(x4.layer1[0].downsample[1], nn.BatchNorm2d)
    assert _projection_params(x4) == 43904
    # n = (depth - 2) / 6 BasicBlocks per stage, stem 3x3 stride 1.
    r110 = build('resnet110').backbone
    assert [len(r110.layer1), len(r110.layer2), len(r110.layer3)] == [18] * 3
    assert r110.conv1.kernel_size == (3, 3) and r110.conv1.stride == (1, 1)
    assert not hasattr(r110, 'maxpool')


def test_resnet50_stride_on_3x3_and_no_maxpool():
    r50 = build('ResNet50').backbone
    block = r50.layer2[0]
    assert block.conv1.stride == (1, 1) and block.conv2.stride == (2, 2)
    assert r50.conv1.kernel_size == (3, 3) and r50.conv1.stride == (1, 1)
    assert [len(getattr(r50, f'layer{i}')) for i in (1, 2, 3, 4)] == [
        3, 4, 6, 3
    ]


def test_resnet_init_has_no_zero_init_residual():
    backbone = build('resnet8').backbone
    backbone.init_weights()
    assert torch.equal(backbone.layer3[0].bn2.weight, torch.ones(64))
    assert torch.equal(backbone.layer3[0].bn2.bias, torch.zeros(64))


def test_wrn_shortcut_acts_on_preactivated_input():
    """Hand computation: with both 3x3 convs zero, a block returns its
    shortcut alone. BN (eval) with mean 1, var 1 - eps, weight 1, bias 0 maps
    x to x - 1. For x = (2, 0.5) at every pixel, ReLU(x - 1) = (1, 0), so a
    1x1 shortcut W on the pre-activated input gives W[:, 0], whereas on the
    raw x it would give 2 W[:, 0] + 0.5 W[:, 1]."""
    block = PreActBasicBlock(2, 3, stride=1).eval()
    assert isinstance(block.shortcut, nn.Conv2d)
    assert block.shortcut.kernel_size == (1, 1)
    assert block.shortcut.bias is None
    with torch.no_grad():
        for conv in (block.conv1, block.conv2):
            conv.weight.zero_()
        bn = block.bn1
        bn.running_mean.fill_(1.0)
        bn.running_var.fill_(1.0 - bn.eps)
        bn.weight.fill_(1.0)
        bn.bias.zero_()
        w = torch.tensor([[1.0, 10.0], [-2.0, 3.0], [0.5, -4.0]])
        block.shortcut.weight.copy_(w.view(3, 2, 1, 1))
        x = torch.tensor([2.0, 0.5]).view(1, 2, 1, 1).expand(1, 2, 4, 4)
        out = block(x.clone())
    assert torch.allclose(out, torch.tensor([1.0, -2.0, 0.5]).view(
        1, 3, 1, 1).expand(1, 3, 4, 4))

    # in == out: identity on the *raw* input (negative values pass).
    same = PreActBasicBlock(2, 2, stride=1).eval()
    assert same.shortcut is None
    with torch.no_grad():
        for conv in (same.conv1, same.conv2):
            conv.weight.zero_()
        x = torch.tensor([-3.0, 0.25]).view(1, 2, 1, 1).expand(1, 2, 2, 2)
        assert torch.equal(same(x.clone()), x)


def test_wrn_structure():
    wrn16_1 = build('wrn_16_1').backbone
    wrn16_2 = build('wrn_16_2').backbone
    assert wrn16_1.layer1[0].shortcut is None  # 16 -> 16
    for stage in ('layer1', 'layer2', 'layer3'):
        assert isinstance(getattr(wrn16_2, stage)[0].shortcut, nn.Conv2d)
    assert len(build('wrn_40_2').backbone.layer2) == (40 - 4) // 6
    # The final BN + ReLU are inside the backbone: the output is >= 0.
    wrn16_2.eval()
    with torch.no_grad():
        out = wrn16_2(torch.randn(2, 3, 32, 32))[-1]
    assert out.min() >= 0 and out.shape == (2, 128, 8, 8)


def test_vgg_structure_and_init():
    for depth in (8, 11, 13, 16, 19):
        backbone = build(f'vgg{depth}').backbone
        convs = [m for m in backbone.modules() if isinstance(m, nn.Conv2d)]
        assert len(convs) == depth - 3  # + the linear head = depth - 2
        assert all(c.bias is not None for c in convs)
        for i in range(5):  # every block ends on its BN (ReLU outside)
            assert isinstance(getattr(backbone, f'block{i}')[-1],
                              nn.BatchNorm2d)
    backbone = build('vgg13').backbone
    backbone.init_weights()
    conv = backbone.block3[0]  # 512 x 256 x 3 x 3
    assert torch.equal(conv.bias, torch.zeros(512))
    assert conv.weight.std().item() == pytest.approx(
        math.sqrt(2.0 / (3 * 3 * 512)), rel=0.02)
    assert torch.equal(backbone.block3[1].weight, torch.ones(512))


def test_vgg_pool3_only_for_64_pixel_input():
    backbone = build('vgg8', out_indices=(3, 4)).backbone.eval()
    with torch.no_grad():
        f3, f4 = backbone(torch.zeros(1, 3, 64, 64))
    assert f3.shape[-1] == 8 and f4.shape[-1] == 4


def test_mobilenetv2_structure():
    backbone = build('MobileNetV2').backbone
    assert backbone.conv1[0].stride == (2, 2)
    assert backbone.stage_channels == [16, 8, 12, 16, 32, 48, 80, 160]
    # t = 1 still expands with a 1x1 conv, to in_channels * 1 = 16.
    first = backbone.blocks[0][0].conv
    assert first[0].weight.shape == (16, 16, 1, 1)
    # t = 6 expands the *input* width: 8 -> 48 in blocks[1][0].
    assert backbone.blocks[1][0].conv[0].weight.shape == (48, 8, 1, 1)
    assert backbone.conv2[0].weight.shape == (1280, 160, 1, 1)
    assert not any(isinstance(m, nn.ReLU6) for m in backbone.modules())


def test_shufflenets_structure():
    v1 = build('ShuffleV1').backbone
    assert v1.conv1.kernel_size == (1, 1)
    assert v1.layer1[0].conv1.groups == 1  # on the 24-channel stem output
    assert v1.layer2[0].conv1.groups == 3
    assert v1.layer1[0].conv3.out_channels == 240 - 24  # concat unit
    assert [len(v1.layer1), len(v1.layer2), len(v1.layer3)] == [4, 8, 4]
    v2 = build('ShuffleV2').backbone
    assert v2.conv1.kernel_size == (1, 1)
    assert [len(v2.layer1), len(v2.layer2), len(v2.layer3)] == [4, 8, 4]
    assert v2.conv2.weight.shape == (1024, 464, 1, 1)


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match='widen'):
        CIFARResNet(depth=20, widen=2)
    with pytest.raises(ValueError, match='depth'):
        CIFARResNet(depth=21)
    with pytest.raises(ValueError, match='6n \\+ 4'):
        WideResNet(depth=15)
    with pytest.raises(ValueError, match='depth'):
        CIFARVGG(depth=12)
