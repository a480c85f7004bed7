"""BatchNorm folding: the folded weights against the formula worked out by
hand, and the pairs that must not fold (a second reader of the
convolution's output, an in-place activation, a module called twice, a
recorded module, pre-activation blocks)."""
import pytest
import torch
from mmpretrain.registry import MODELS
from torch import nn

import mmdccd  # noqa: F401
from mmdccd.models.utils import fold_batchnorms
from mmdccd.models.utils.batchnorm_folding import ActAfterFold


def assert_close_to_scale(found, expected, tol=1e-5):
    """Largest difference at most ``tol`` of the largest value."""
    diff = (found - expected).abs().max()
    assert diff <= tol * expected.abs().max(), (diff, expected.abs().max())


def randomise(model: nn.Module) -> nn.Module:
    """Non-trivial BatchNorm statistics and affine parameters; eval mode."""
    g = torch.Generator().manual_seed(0)
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            n = m.num_features
            m.running_mean.copy_(torch.randn(n, generator=g))
            m.running_var.copy_(torch.rand(n, generator=g) + 0.5)
            m.weight.data.copy_(torch.randn(n, generator=g))
            m.bias.data.copy_(torch.randn(n, generator=g))
    model.eval()
    return model


class ConvBN(nn.Module):
    """``bn(conv(x))``, then optionally a second reader of ``conv(x)``."""

    def __init__(self, reuse: str = '') -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1, bias=True)
        self.bn = nn.BatchNorm2d(4)
        self.reuse = reuse

    def forward(self, x):
        y = self.conv(x)
        if self.reuse == 'inplace':
            y.relu_()
        out = self.bn(y)
        return out + y if self.reuse == 'residual' else out


def test_folded_weights_follow_the_formula():
    model = randomise(ConvBN())
    conv, bn = model.conv, model.bn
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    weight = conv.weight * scale.view(-1, 1, 1, 1)
    bias = (conv.bias - bn.running_mean) * scale + bn.bias
    x = torch.randn(2, 3, 5, 5)
    with torch.no_grad():
        expected = model(x)
    pairs = fold_batchnorms(model, lambda: model(x))
    assert pairs == [('conv', 'bn')]
    assert isinstance(model.bn, nn.Identity)
    torch.testing.assert_close(model.conv.weight, weight)
    torch.testing.assert_close(model.conv.bias, bias)
    with torch.no_grad():
        assert_close_to_scale(model(x), expected)


@pytest.mark.parametrize('reuse', ['residual', 'inplace'])
def test_a_second_reader_of_the_conv_output_keeps_the_pair(reuse):
    model = randomise(ConvBN(reuse))
    x = torch.randn(2, 3, 5, 5)
    assert fold_batchnorms(model, lambda: model(x)) == []
    assert isinstance(model.bn, nn.BatchNorm2d)


def test_module_called_twice_and_recorded_modules_are_kept():
    model = randomise(nn.Sequential(nn.Conv2d(3, 4, 1), nn.BatchNorm2d(4)))
    x = torch.randn(2, 3, 5, 5)
    assert fold_batchnorms(model, lambda: model(x), keep=['1']) == []
    assert fold_batchnorms(model, lambda: model(x), keep=['0.weight']) == []

    class Twice(nn.Module):

        def __init__(self):
            super().__init__()
            self.conv, self.bn = nn.Conv2d(4, 4, 1), nn.BatchNorm2d(4)

        def forward(self, x):
            return self.bn(self.conv(self.bn(self.conv(x))))

    twice = randomise(Twice())
    assert fold_batchnorms(twice, lambda: twice(torch.randn(2, 4, 3, 3))) \
        == []


def test_training_mode_is_refused():
    model = nn.Sequential(nn.Conv2d(3, 4, 1), nn.BatchNorm2d(4))
    with pytest.raises(ValueError, match='eval mode'):
        fold_batchnorms(model, lambda: model(torch.randn(1, 3, 2, 2)))


def test_wrn_preactivation_folds_conv1_bn2_only():
    """A pre-activation block reads its input twice (BN1 and the identity
    shortcut or BN1 then the shortcut conv): only conv1 -> bn2 folds, 2
    blocks a stage x 3 stages of WRN-16-1; its 13 BatchNorms otherwise
    stay."""
    net = randomise(MODELS.build(dict(type='WideResNet', depth=16,
                                      widen_factor=1)))
    x = torch.randn(2, 3, 8, 8)
    with torch.no_grad():
        expected = net(x)[-1]
    pairs = fold_batchnorms(net, lambda: net(x))
    assert len(pairs) == 6
    assert all(c.endswith('conv1') and b == c[:-5] + 'bn2' for c, b in pairs)
    left = [m for m in net.modules() if isinstance(m, nn.BatchNorm2d)]
    assert len(left) == 13 - 6
    with torch.no_grad():
        assert_close_to_scale(net(x)[-1], expected)


def test_timm_batchnorm_act_keeps_its_activation():
    timm = pytest.importorskip('timm')
    net = randomise(timm.create_model('test_efficientnet', num_classes=5))
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        expected = net(x)
    pairs = fold_batchnorms(net, lambda: net(x))
    kept = [m for m in net.modules() if isinstance(m, ActAfterFold)]
    assert len(kept) == len(pairs) > 0
    assert all(type(m.act) is not nn.Identity for m in kept[:1])
    with torch.no_grad():
        assert_close_to_scale(net(x), expected)
