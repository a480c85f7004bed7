"""torchvision ResNet -> mmpretrain ImageClassifier: same logits."""
import sys

import pytest
import torch
import torchvision

import mmdccd  # noqa: F401
from mmengine.runner import load_checkpoint
from mmpretrain.registry import MODELS

from tests.utils import load_tool

converter = load_tool('model_converters/torchvision2mmpretrain.py')


def _random_torchvision(arch):
    """A torchvision ResNet with random weights and random BN statistics."""
    torch.manual_seed(0)
    model = getattr(torchvision.models, arch)(weights=None)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0, 0.2)
                m.running_mean.normal_(0, 0.2)
                m.running_var.uniform_(0.5, 2.0)
                m.num_batches_tracked.fill_(7)
    model.eval()
    return model


def _mmpretrain(depth, width):
    model = MODELS.build(
        dict(
            type='ImageClassifier',
            backbone=dict(type='ResNet', depth=depth),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(
                type='LinearClsHead', num_classes=1000, in_channels=width)))
    return model


@pytest.mark.parametrize('arch,depth,width', [('resnet18', 18, 512),
                                              ('resnet34', 34, 512),
                                              ('resnet50', 50, 2048)])
def test_same_outputs(arch, depth, width):
    tv = _random_torchvision(arch)
    mm = _mmpretrain(depth, width)
    mm.load_state_dict(
        converter.convert_torchvision_resnet(tv.state_dict()), strict=True)
    mm.eval()  # on its own line: ResNet.eval() returns None in mmpretrain
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        expected = tv(x)
        got = mm(x, mode='tensor')
    assert expected.abs().max() > 1e-2  # not a degenerate all-zero check
    torch.testing.assert_close(got, expected, atol=1e-4, rtol=1e-4)
    # BN statistics came along
    assert torch.equal(mm.backbone.layer1[0].bn1.running_var,
                       tv.layer1[0].bn1.running_var)


def test_cli_writes_a_loadable_checkpoint(tmp_path, monkeypatch, capsys):
    tv = _random_torchvision('resnet18')
    src, dst = tmp_path / 'tv.pth', tmp_path / 'out' / 'mm.pth'
    # a DataParallel-style prefix is dropped as well
    torch.save({f'module.{k}': v for k, v in tv.state_dict().items()}, src)
    monkeypatch.setattr(sys, 'argv', ['x', str(src), str(dst)])
    converter.main()
    assert str(dst) in capsys.readouterr().out
    mm = _mmpretrain(18, 512)
    load_checkpoint(mm, str(dst), strict=True)
    mm.eval()
    x = torch.randn(1, 3, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(mm(x, mode='tensor'), tv(x))


def test_rejects_other_checkpoints():
    with pytest.raises(ValueError, match='torchvision ResNet'):
        converter.convert_torchvision_resnet(
            {'features.0.weight': torch.zeros(1)})
