"""TeacherInput: the teacher's rows resized and re-normalised in its one
forward, the batch contract unchanged."""
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from mmdccd.models.utils import TeacherInput


def test_renormalise_then_resize_equals_the_naive_conversion():
    torch.manual_seed(0)
    mean_s = torch.tensor([123.675, 116.28, 103.53]).view(3, 1, 1)
    std_s = torch.tensor([58.395, 57.12, 57.375]).view(3, 1, 1)
    pixels = torch.rand(4, 3, 8, 8) * 255
    x = (pixels - mean_s) / std_s  # what the student's preprocessor gives
    hook = TeacherInput(16, [127.5] * 3, [127.5] * 3, mean_s, std_s)
    out = hook.attach(nn.Identity())(x)
    # independently: from the raw pixels with the teacher's statistics
    expected = F.interpolate((pixels - 127.5) / 127.5, size=(16, 16),
                             mode='bilinear', align_corners=False)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=1e-5)
    assert out.shape == (4, 3, 16, 16)  # same rows, same order


def test_resize_only_and_unchanged_size():
    x = torch.randn(2, 3, 32, 32)
    assert TeacherInput(32)(None, (x, 'kw'))[0] is x
    small = TeacherInput((8, 8))(None, (x, ))[0]
    torch.testing.assert_close(
        small, F.interpolate(x, size=(8, 8), mode='bilinear',
                             align_corners=False, antialias=True))


def test_mean_without_a_normalising_preprocessor_is_an_error():
    with pytest.raises(ValueError, match='does not normalise'):
        TeacherInput(mean=[0.5] * 3)
    with pytest.raises(ValueError, match='3 values'):
        TeacherInput(mean=[1.0], source_mean=torch.zeros(3, 1, 1),
                     source_std=torch.ones(3, 1, 1))


def test_a_classifier_calling_itself_is_adapted_once():

    class SelfCalling(nn.Module):
        """Like mmpretrain's TimmClassifier.predict: calls ``self(x)``."""

        def forward(self, x, nested=True):
            return self(x, nested=False) if nested else x

    one = torch.ones(3).view(3, 1, 1)
    net = TeacherInput(mean=[1.0] * 3, std=[2.0] * 3, source_mean=0 * one,
                       source_std=one).attach(SelfCalling())
    x = torch.ones(1, 3, 2, 2)
    torch.testing.assert_close(net(x), (x - 1) / 2)  # once, not twice
    torch.testing.assert_close(net(x), (x - 1) / 2)  # and again
