"""tools/model_converters/convert_repdistiller.py.

RepDistiller's code is not available here, so the source checkpoints are
built independently from the reference text
(RepDistiller's CIFAR models, github.com/HobbitLong/RepDistiller):

* CIFAR ResNets and WRNs: deliberately naive re-implementations with the
  benchmark's module names; the converted weights must give the same logits
  in our ImageClassifier.
* ResNet50: mmpretrain's ``ResNet_CIFAR(depth=50)`` classifier with its keys
  renamed to the benchmark's kuangliu names (``shortcut``, ``linear``); the
  converted weights must reproduce ``ResNet_CIFAR``'s logits.
* VGG, MobileNetV2, ShuffleNets: key/shape generators of the benchmark's
  names; the converted dict must load with ``strict=True``.
"""
import os.path as osp
from typing import Dict, List, Tuple

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

import mmdccd  # noqa: F401
from mmpretrain.registry import MODELS

from mmdccd.models.backbones import (cifar_classifier_cfg,
                                     convert_repdistiller_state_dict)
from tests.utils import REPO_ROOT, load_tool, run_tool

TOOL = osp.join(REPO_ROOT, 'tools', 'model_converters',
                'convert_repdistiller.py')


tool = load_tool('model_converters/convert_repdistiller.py')


# --------------------------------------------------------------------------
# Naive benchmark-style modules (names as in RepDistiller, written from the
# reference text).
# --------------------------------------------------------------------------
class NaiveBasicBlock(nn.Module):
    """conv3x3(s)-BN-ReLU-conv3x3-BN, + residual, ReLU; projection
    ``downsample = Sequential(Conv1x1(s), BN)`` if s != 1 or in != out."""

    def __init__(self, inplanes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(
                nn.Conv2d(inplanes, planes, 1, stride, bias=False),
                nn.BatchNorm2d(planes))

    def forward(self, x):
        residual = x if self.downsample is None else self.downsample(x)
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + residual)


class NaiveResNet(nn.Module):
    """RepDistiller ``ResNet(depth, num_filters)``: conv1/bn1, layer1..3,
    AvgPool2d(8), fc."""

    def __init__(self, depth, num_filters, num_classes=100):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(3, num_filters[0], 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(num_filters[0])
        inplanes = num_filters[0]
        for i, stride in enumerate((1, 2, 2)):
            blocks = []
            for j in range(n):
                blocks.append(
                    NaiveBasicBlock(inplanes, num_filters[i + 1],
                                    stride if j == 0 else 1))
                inplanes = num_filters[i + 1]
            setattr(self, f'layer{i + 1}', nn.Sequential(*blocks))
        self.fc = nn.Linear(num_filters[3], num_classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(F.avg_pool2d(x, 8).flatten(1))


class NaiveWRNBlock(nn.Module):
    """bn1-relu1-conv1-bn2-relu2-conv2; 1x1 ``convShortcut`` (no BN) on the
    pre-activated x when in != out, identity on the raw x otherwise."""

    def __init__(self, in_planes, out_planes, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.relu1 = nn.ReLU()
        self.conv1 = nn.Conv2d(in_planes, out_planes, 3, stride, 1,
                               bias=False)
        self.bn2 = nn.BatchNorm2d(out_planes)
        self.relu2 = nn.ReLU()
        self.conv2 = nn.Conv2d(out_planes, out_planes, 3, 1, 1, bias=False)
        self.equal_in_out = in_planes == out_planes
        if not self.equal_in_out:
            self.convShortcut = nn.Conv2d(in_planes, out_planes, 1, stride,
                                          bias=False)

    def forward(self, x):
        if self.equal_in_out:
            out = self.relu1(self.bn1(x))
            short = x
        else:
            x = self.relu1(self.bn1(x))
            out = x
            short = self.convShortcut(x)
        out = self.conv2(self.relu2(self.bn2(self.conv1(out))))
        return out + short


class NaiveNetworkBlock(nn.Module):

    def __init__(self, n, in_planes, out_planes, stride):
        super().__init__()
        self.layer = nn.Sequential(*[
            NaiveWRNBlock(in_planes if i == 0 else out_planes, out_planes,
                          stride if i == 0 else 1) for i in range(n)
        ])

    def forward(self, x):
        return self.layer(x)


class NaiveWRN(nn.Module):
    """RepDistiller ``WideResNet``: conv1, block1..3 (``.layer``), final
    bn1 + ReLU, avg_pool2d(8), fc."""

    def __init__(self, depth, k, num_classes=100):
        super().__init__()
        n = (depth - 4) // 6
        ch = [16, 16 * k, 32 * k, 64 * k]
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.block1 = NaiveNetworkBlock(n, ch[0], ch[1], 1)
        self.block2 = NaiveNetworkBlock(n, ch[1], ch[2], 2)
        self.block3 = NaiveNetworkBlock(n, ch[2], ch[3], 2)
        self.bn1 = nn.BatchNorm2d(ch[3])
        self.fc = nn.Linear(ch[3], num_classes)

    def forward(self, x):
        x = self.block3(self.block2(self.block1(self.conv1(x))))
        x = F.relu(self.bn1(x))
        return self.fc(F.avg_pool2d(x, 8).flatten(1))


def randomise_(model: nn.Module, seed: int = 0) -> nn.Module:
    """Random weights *and* BN statistics, eval mode: a converter that maps
    one BN onto another would change the logits."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, tensor in model.state_dict().items():
            if name.endswith('num_batches_tracked'):
                continue
            if name.endswith('running_var'):
                tensor.copy_(0.5 + torch.rand(tensor.shape, generator=gen))
            else:
                tensor.copy_(0.2 * torch.randn(tensor.shape, generator=gen))
    return model.eval()


def convert_with_tool(tmp_path, name, state_dict,
                      wrap=True) -> Dict[str, torch.Tensor]:
    src, dst = tmp_path / f'{name}_src.pth', tmp_path / f'{name}_dst.pth'
    payload = {
        'model': state_dict,
        'epoch': 240,
        'best_acc': torch.tensor(79.42)
    } if wrap else state_dict
    torch.save(payload, src)
    assert tool.main([str(src), str(dst), '--model', name]) == 0
    checkpoint = torch.load(dst, map_location='cpu', weights_only=False)
    assert checkpoint['meta']['model'] == name
    if wrap:
        assert checkpoint['meta']['epoch'] == 240
    return checkpoint['state_dict']


def ours(name: str, state_dict=None) -> nn.Module:
    model = MODELS.build(cifar_classifier_cfg(name))
    if state_dict is not None:
        model.load_state_dict(state_dict, strict=True)
    return model.eval()


@pytest.mark.parametrize('name,depth,filters', [
    ('resnet8', 8, [16, 16, 32, 64]),
    ('resnet20', 20, [16, 16, 32, 64]),
    ('resnet8x4', 8, [32, 64, 128, 256]),
])
def test_cifar_resnet_same_logits(tmp_path, name, depth, filters):
    naive = randomise_(NaiveResNet(depth, filters))
    keys = set(naive.state_dict())
    assert 'layer1.0.downsample.0.weight' in keys or name != 'resnet8x4'
    converted = convert_with_tool(tmp_path, name, naive.state_dict())
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = naive(x)
        got = ours(name, converted)(x, mode='tensor')
    assert torch.allclose(got, expected, atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize('name,depth,k', [('wrn_16_1', 16, 1),
                                          ('wrn_16_2', 16, 2)])
def test_wrn_same_logits(tmp_path, name, depth, k):
    naive = randomise_(NaiveWRN(depth, k), seed=3)
    keys = set(naive.state_dict())
    assert ('block1.layer.0.convShortcut.weight' in keys) == (k != 1)
    # bare state dict with a DataParallel prefix is accepted as well
    sd = {f'module.{k_}': v for k_, v in naive.state_dict().items()}
    converted = convert_with_tool(tmp_path, name, sd, wrap=False)
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        expected = naive(x)
        got = ours(name, converted)(x, mode='tensor')
    assert torch.allclose(got, expected, atol=1e-5, rtol=1e-4)


def test_resnet50_matches_mmpretrain_resnet_cifar(tmp_path):
    reference = MODELS.build(
        dict(
            type='ImageClassifier',
            backbone=dict(type='ResNet_CIFAR', depth=50),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=100,
                      in_channels=2048)))
    randomise_(reference, seed=5)
    # kuangliu / RepDistiller names of the same tensors.
    repdistiller = {}
    for key, value in reference.state_dict().items():
        if key.startswith('head.fc.'):
            key = 'linear.' + key[len('head.fc.'):]
        else:
            key = key[len('backbone.'):].replace('.downsample.', '.shortcut.')
        repdistiller[key] = value
    assert 'layer1.0.shortcut.0.weight' in repdistiller
    assert 'linear.weight' in repdistiller
    converted = convert_with_tool(tmp_path, 'ResNet50', repdistiller)
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(4))
    with torch.no_grad():
        expected = reference(x, mode='tensor')
        got = ours('ResNet50', converted)(x, mode='tensor')
    assert torch.allclose(got, expected, atol=1e-5, rtol=1e-4)


# --------------------------------------------------------------------------
# Key/shape generators of the benchmark's names (reference sections 2.4-2.7)
# --------------------------------------------------------------------------
Shapes = List[Tuple[str, tuple]]


def _bn(prefix: str, c: int) -> Shapes:
    return [(f'{prefix}.weight', (c, )), (f'{prefix}.bias', (c, )),
            (f'{prefix}.running_mean', (c, )),
            (f'{prefix}.running_var', (c, )),
            (f'{prefix}.num_batches_tracked', ())]


def vgg_keys(cfg) -> Shapes:
    keys, cin = [], 3
    for b, widths in enumerate(cfg):
        for i, w in enumerate(widths):
            keys += [(f'block{b}.{3 * i}.weight', (w, cin, 3, 3)),
                     (f'block{b}.{3 * i}.bias', (w, ))]
            keys += _bn(f'block{b}.{3 * i + 1}', w)
            cin = w
    return keys + [('classifier.weight', (100, 512)),
                   ('classifier.bias', (100, ))]


def mobilenetv2_keys() -> Shapes:
    keys = [('conv1.0.weight', (16, 3, 3, 3))] + _bn('conv1.1', 16)
    cin = 16
    rows = [(1, 8, 1), (6, 12, 2), (6, 16, 3), (6, 32, 4), (6, 48, 3),
            (6, 80, 3), (6, 160, 1)]
    for g, (t, c, n) in enumerate(rows):
        for j in range(n):
            p, h = f'blocks.{g}.{j}.conv', cin * t
            keys += [(f'{p}.0.weight', (h, cin, 1, 1))] + _bn(f'{p}.1', h)
            keys += [(f'{p}.3.weight', (h, 1, 3, 3))] + _bn(f'{p}.4', h)
            keys += [(f'{p}.6.weight', (c, h, 1, 1))] + _bn(f'{p}.7', c)
            cin = c
    keys += [('conv2.0.weight', (1280, 160, 1, 1))] + _bn('conv2.1', 1280)
    return keys + [('classifier.0.weight', (100, 1280)),
                   ('classifier.0.bias', (100, ))]


def shufflev1_keys() -> Shapes:
    keys = [('conv1.weight', (24, 3, 1, 1))] + _bn('bn1', 24)
    cin = 24
    for s, (width, n) in enumerate(zip((240, 480, 960), (4, 8, 4))):
        for j in range(n):
            out = width - cin if j == 0 else width
            mid, g1 = out // 4, (1 if cin == 24 else 3)
            p = f'layer{s + 1}.{j}'
            keys += [(f'{p}.conv1.weight', (mid, cin // g1, 1, 1))]
            keys += _bn(f'{p}.bn1', mid)
            keys += [(f'{p}.conv2.weight', (mid, 1, 3, 3))]
            keys += _bn(f'{p}.bn2', mid)
            keys += [(f'{p}.conv3.weight', (out, mid // 3, 1, 1))]
            keys += _bn(f'{p}.bn3', out)
            cin = width
    return keys + [('linear.weight', (100, 960)), ('linear.bias', (100, ))]


def shufflev2_keys() -> Shapes:
    keys = [('conv1.weight', (24, 3, 1, 1))] + _bn('bn1', 24)
    cin = 24
    for s, (width, n) in enumerate(zip((116, 232, 464), (3, 7, 3))):
        p, mid = f'layer{s + 1}.0', width // 2
        keys += [(f'{p}.conv1.weight', (cin, 1, 3, 3))] + _bn(f'{p}.bn1', cin)
        keys += [(f'{p}.conv2.weight', (mid, cin, 1, 1))]
        keys += _bn(f'{p}.bn2', mid)
        keys += [(f'{p}.conv3.weight', (mid, cin, 1, 1))]
        keys += _bn(f'{p}.bn3', mid)
        keys += [(f'{p}.conv4.weight', (mid, 1, 3, 3))] + _bn(f'{p}.bn4', mid)
        keys += [(f'{p}.conv5.weight', (mid, mid, 1, 1))]
        keys += _bn(f'{p}.bn5', mid)
        for j in range(1, n + 1):
            p = f'layer{s + 1}.{j}'
            keys += [(f'{p}.conv1.weight', (mid, mid, 1, 1))]
            keys += _bn(f'{p}.bn1', mid)
            keys += [(f'{p}.conv2.weight', (mid, 1, 3, 3))]
            keys += _bn(f'{p}.bn2', mid)
            keys += [(f'{p}.conv3.weight', (mid, mid, 1, 1))]
            keys += _bn(f'{p}.bn3', mid)
        cin = width
    keys += [('conv2.weight', (1024, 464, 1, 1))] + _bn('bn2', 1024)
    return keys + [('linear.weight', (100, 1024)), ('linear.bias', (100, ))]


VGG_CFG = {
    'vgg8': [[64], [128], [256], [512], [512]],
    'vgg13': [[64, 64], [128, 128], [256, 256], [512, 512], [512, 512]],
    'vgg19': [[64, 64], [128, 128], [256] * 4, [512] * 4, [512] * 4],
}
GENERATED = {
    **{name: (lambda cfg=cfg: vgg_keys(cfg))
       for name, cfg in VGG_CFG.items()},
    'MobileNetV2': mobilenetv2_keys,
    'ShuffleV1': shufflev1_keys,
    'ShuffleV2': shufflev2_keys,
}


def fake_state_dict(shapes: Shapes) -> Dict[str, torch.Tensor]:
    gen = torch.Generator().manual_seed(0)
    return {
        k: (torch.tensor(7) if not s else torch.randn(s, generator=gen))
        for k, s in shapes
    }


@pytest.mark.parametrize('name', list(GENERATED))
def test_generated_benchmark_keys_load_strictly(name):
    source = fake_state_dict(GENERATED[name]())
    converted, num_classes, notes = tool.convert(source, name)
    assert num_classes == 100 and notes == []
    model = ours(name, converted)  # strict=True
    # Every tensor arrived unchanged under its new name.
    by_value = convert_repdistiller_state_dict(name, source)
    for key, value in model.state_dict().items():
        assert torch.equal(value, by_value[key]), key
    assert len(converted) == len(source)


def test_vgg_classifier_and_block_names():
    converted = convert_repdistiller_state_dict(
        'vgg8', fake_state_dict(vgg_keys(VGG_CFG['vgg8'])))
    assert 'head.fc.weight' in converted
    assert 'backbone.block4.1.running_var' in converted


def test_incomplete_file_is_refused_with_the_keys(tmp_path):
    naive = NaiveResNet(8, [16, 16, 32, 64])
    sd = dict(naive.state_dict())
    del sd['layer2.0.downsample.0.weight']
    sd['layer9.0.conv1.weight'] = torch.zeros(1)
    src, dst = tmp_path / 'broken.pth', tmp_path / 'out.pth'
    torch.save({'model': sd}, src)
    proc = run_tool(
        [TOOL, str(src), str(dst), '--model', 'resnet8'], check=False)
    assert proc.returncode == 1
    assert '1 missing keys' in proc.stdout
    assert 'backbone.layer2.0.downsample.0.weight' in proc.stdout
    assert '1 unexpected keys' in proc.stdout
    assert 'backbone.layer9.0.conv1.weight' in proc.stdout
    assert not dst.exists()


def test_wrong_model_name_is_refused(tmp_path, capsys):
    src, dst = tmp_path / 'r20.pth', tmp_path / 'out.pth'
    torch.save({'model': NaiveResNet(20, [16, 16, 32, 64]).state_dict()}, src)
    assert tool.main([str(src), str(dst), '--model', 'resnet8']) == 1
    err = capsys.readouterr().err
    assert 'unexpected keys' in err and 'backbone.layer1.1.conv1.weight' in err
    assert not dst.exists()
    # a wrong width is a shape mismatch, not a silent load
    assert tool.main([str(src), str(dst), '--model', 'wrn_16_1']) == 1


def test_missing_bn_counters_are_filled(tmp_path, capsys):
    naive = randomise_(NaiveResNet(8, [16, 16, 32, 64]))
    sd = {
        k: v
        for k, v in naive.state_dict().items()
        if not k.endswith('num_batches_tracked')
    }
    converted = convert_with_tool(tmp_path, 'resnet8', sd)
    assert 'filled' in capsys.readouterr().out
    assert converted['backbone.bn1.num_batches_tracked'].item() == 0
