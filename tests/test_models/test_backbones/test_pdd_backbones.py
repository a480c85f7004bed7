"""The PDD authors' CIFAR networks: parameter and FLOP counts pinned to the
authors' figures and to a naive count from the widths, and the zero-padded
shortcut checked against ``F.pad`` (the authors' own formulation)."""
import pytest
import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

import mmdccd  # noqa: F401
from mmdccd.models.backbones.pdd_resnet import ChannelPlacementShortcut
from mmdccd.models.pruning import count_flops, count_parameters

#: the widths of the authors' pruned students (their vgg_kd.py and
#: calculating_flops.py)
A_V16_V11_C10 = [[35], [69], [195, 96], [300, 109], [227, 368]]
WWW = [[35], [69], [195, 103], [307, 119], [227, 398]]
RESNET20_SMALL = [16, 14, 13, 28, 21, 24, 47, 69, 50, 49]


def resnet_cfg(**backbone):
    return dict(
        type='ImageClassifier',
        backbone=dict(type='PDDCIFARResNet', **backbone),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=10,
            in_channels=(backbone.get('widths') or [64])[-1]))


def vgg_cfg(**backbone):
    return dict(
        type='ImageClassifier',
        backbone=dict(type='PDDCIFARVGG', **backbone),
        head=dict(type='LinearClsHead', num_classes=10, in_channels=512))


def naive_resnet_counts(widths, n):
    """(params, MACs, BN elements) of the authors' ResNet from its widths:
    block j reads widths[j], writes widths[j + 1] (internal width too)."""
    size = [32] + [32] * n + [16] * n + [8] * n
    params = 3 * widths[0] * 9 + 2 * widths[0]
    macs = 3 * widths[0] * 9 * 32 * 32
    bn = widths[0] * 32 * 32
    for j in range(3 * n):
        cin, cout, hw = widths[j], widths[j + 1], size[j + 1]
        params += (cin + cout) * cout * 9 + 4 * cout
        macs += (cin + cout) * cout * 9 * hw * hw
        bn += 2 * cout * hw * hw
    return params + widths[-1] * 10 + 10, macs + widths[-1] * 10, bn


def naive_vgg_counts(arch):
    """(params, MACs, BN elements) of the authors' VGG: 3x3 convs with bias,
    a pool after every block, Linear(C, 512), Linear(512, 512),
    Linear(512, 10)."""
    params = macs = bn = 0
    cin, hw = 3, 32
    for widths in arch:
        for cout in widths:
            params += cin * cout * 9 + cout + 2 * cout
            macs += cin * cout * 9 * hw * hw
            bn += cout * hw * hw
            cin = cout
        hw //= 2
    fcs = [(cin, 512), (512, 512), (512, 10)]
    params += sum(i * o + o for i, o in fcs)
    macs += sum(i * o for i, o in fcs)
    return params, macs, bn


@pytest.mark.parametrize('cfg,params,macs', [
    (resnet_cfg(depth=20), 339034, 61784704),
    (resnet_cfg(depth=56), 853018, 125485696),
    (vgg_cfg(depth=11), 9756426, 153293824),
])
def test_dense_counts_match_the_authors(cfg, params, macs):
    model = MODELS.build(cfg)
    assert count_parameters(model) == params
    assert count_flops(model) == macs


def test_counts_match_a_naive_count_and_the_thop_rules():
    for widths, n in ((None, 3), (RESNET20_SMALL, 3), (None, 9)):
        depth = 6 * n + 2
        model = MODELS.build(resnet_cfg(depth=depth, widths=widths))
        full = widths or ([16] * (n + 1) + [32] * n + [64] * n if n == 9
                          else [16, 16, 16, 32, 32, 32, 64, 64, 64, 64])
        params, macs, bn = naive_resnet_counts(full, n)
        assert count_parameters(model) == params
        assert count_flops(model) == macs
        assert count_flops(model, convention='thop') == macs + 4 * bn
    for arch in (None, A_V16_V11_C10):
        model = MODELS.build(vgg_cfg(depth=11, widths=arch))
        params, macs, bn = naive_vgg_counts(
            arch or [[64], [128], [256, 256], [512, 512], [512, 512]])
        assert count_parameters(model) == params
        assert count_flops(model) == macs
        assert count_flops(model, convention='thop') == macs + 4 * bn
    # the dense VGG11 under thop's rules, by hand: + 4 x 151,552 BN elements
    assert count_flops(MODELS.build(vgg_cfg(depth=11)),
                       convention='thop') == 153900032
    with pytest.raises(ValueError, match="convention must be one of"):
        count_flops(model, convention='fvcore')


def removed(dense_cfg, small_cfg, convention='macs'):
    dense, small = MODELS.build(dense_cfg), MODELS.build(small_cfg)
    return (1 - count_parameters(small) / count_parameters(dense),
            1 - count_flops(small, convention=convention) /
            count_flops(dense, convention=convention))


def test_removed_fractions_of_the_authors_pruned_widths():
    # VGG11 -> A_v16_v11_c10: 76.41 % params, 74.92 % thop FLOPs (the
    # paper: 76.43 / 74.96); 75.03 % conv + linear MACs
    params, thop = removed(vgg_cfg(depth=11),
                           vgg_cfg(depth=11, widths=A_V16_V11_C10), 'thop')
    assert params == pytest.approx(0.7641, abs=5e-5)
    assert thop == pytest.approx(0.7492, abs=5e-5)
    assert removed(vgg_cfg(depth=11), vgg_cfg(
        depth=11, widths=A_V16_V11_C10))[1] == pytest.approx(0.7503, abs=5e-5)
    # the `www` widths of their cvgg11_bn_small: 74.68 % params
    assert removed(vgg_cfg(depth=11), vgg_cfg(
        depth=11, widths=WWW))[0] == pytest.approx(0.7468, abs=5e-5)
    # resnet20 -> their resnet20_small widths: 29.87 % params, 32.82 % MACs
    # (not the paper's 32.77 / 39.53)
    params, macs = removed(resnet_cfg(depth=20),
                           resnet_cfg(depth=20, widths=RESNET20_SMALL))
    assert params == pytest.approx(0.2987, abs=5e-5)
    assert macs == pytest.approx(0.3282, abs=5e-5)


@pytest.mark.parametrize('cin,cout,stride', [(16, 32, 1), (16, 16, 2),
                                             (32, 64, 1), (13, 28, 1),
                                             (50, 49, 1), (69, 50, 2)])
def test_shortcut_is_the_authors_zero_pad(cin, cout, stride):
    x = torch.randn(2, cin, 8, 8)
    front = (cout - cin) // 2
    expected = F.pad(x[:, :, ::stride, ::stride],
                     (0, 0, 0, 0, front, cout - cin - front))
    shortcut = ChannelPlacementShortcut(cin, cout, stride)
    torch.testing.assert_close(shortcut(x), expected, rtol=0, atol=0)
    assert not list(shortcut.parameters())


def test_forward_shapes_and_errors():
    resnet = MODELS.build(dict(type='PDDCIFARResNet', depth=20))
    assert resnet(torch.randn(2, 3, 32, 32))[0].shape == (2, 64, 8, 8)
    vgg = MODELS.build(dict(type='PDDCIFARVGG', depth=11)).eval()
    assert vgg(torch.randn(2, 3, 32, 32))[0].shape == (2, 512)
    with pytest.raises(ValueError, match='expects 32 x 32 images'):
        vgg(torch.randn(1, 3, 64, 64))
    with pytest.raises(ValueError, match='expected 10 widths'):
        MODELS.build(dict(type='PDDCIFARResNet', depth=20, widths=[16] * 9))
    with pytest.raises(ValueError, match='expected depth in'):
        MODELS.build(dict(type='PDDCIFARResNet', depth=32))


def test_grey_inputs_change_only_the_stem():
    """``in_channels=1`` (Fashion-MNIST): the stem reads one channel; the
    counts drop by the stem's other two input channels alone."""
    for type_, depth, stem in (('PDDCIFARResNet', 20, 'conv1'),
                               ('PDDCIFARVGG', 11, 'block0.0')):
        rgb = MODELS.build(dict(type=type_, depth=depth)).eval()
        grey = MODELS.build(dict(type=type_, depth=depth,
                                 in_channels=1)).eval()
        conv = grey.get_submodule(stem)
        assert conv.in_channels == 1
        assert grey(torch.randn(2, 1, 32, 32))[0].shape == \
            rgb(torch.randn(2, 3, 32, 32))[0].shape
        k = conv.kernel_size[0] * conv.kernel_size[1]
        assert count_parameters(rgb) - count_parameters(grey) == \
            2 * k * conv.out_channels
    masked = MODELS.build(
        dict(type='PrunablePDDCIFARResNet', depth=20, in_channels=1))
    assert masked(torch.randn(2, 1, 28, 28))[0].shape == (2, 64, 7, 7)
