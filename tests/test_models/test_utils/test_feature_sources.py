"""find_feature_sources: the pooled feature, the logits and the width of
mmpretrain, timm and torchvision classifiers, found by one dry forward that
leaves the model as it was; clear errors listing candidates."""
import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope
from mmrazor.registry import MODELS
from torch import nn

import mmdccd  # noqa: F401
from mmdccd.models.utils import (FeatureSources, declared_in_channels,
                                 declared_input_size,
                                 find_feature_sources)
from tests.utils import tiny_classifier


def build(cfg):
    init_default_scope('mmpretrain')
    return MODELS.build(cfg)


def recorded_input(model, name, x):
    """The first input of module ``name`` in ``model(x)`` (eval mode)."""
    seen = []
    module = dict(model.named_modules())[name]
    handle = module.register_forward_hook(lambda m, i, o: seen.append(i[0]))
    model.eval()
    with torch.no_grad():
        out = model(x, mode='tensor') if hasattr(model, 'data_preprocessor') \
            else model(x)
    handle.remove()
    return seen[0], out


def test_mmpretrain_linear_head_gives_the_pooled_feature():
    model = build(tiny_classifier(4))
    found = find_feature_sources(model)
    assert found == FeatureSources('head.fc', 'head.fc', 32)
    # independently: global average pooling of the last backbone map
    x = torch.randn(3, 3, 16, 16)
    feat, logits = recorded_input(model, found.feat_source, x)
    torch.testing.assert_close(
        feat, model.backbone(x)[-1].mean(dim=(2, 3)))
    torch.testing.assert_close(logits, model.head.fc(feat))


def test_dry_forward_leaves_bn_statistics_train_flags_and_rng():
    model = build(tiny_classifier(4))
    model.train()
    model.head.eval()  # a mixed state must come back as it was
    before = {k: v.clone() for k, v in model.state_dict().items()}
    flags = [m.training for m in model.modules()]
    torch.manual_seed(3)
    find_feature_sources(model)
    drawn = torch.rand(4)
    torch.manual_seed(3)
    torch.testing.assert_close(drawn, torch.rand(4))  # no random draws
    assert [m.training for m in model.modules()] == flags
    after = model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_config_is_probed_on_a_copy_with_the_random_stream_untouched():
    torch.manual_seed(0)
    found = find_feature_sources(
        tiny_classifier(8), build=build, side='teacher')
    drawn = torch.rand(3)
    torch.manual_seed(0)
    assert torch.equal(drawn, torch.rand(3))
    assert found == FeatureSources('head.fc', 'head.fc', 64)


def test_dropout_before_the_classifier_is_not_recorded():
    # StackedLinearClsHead: fc -> act -> dropout -> fc; the feature is the
    # dropout's input, so train-mode dropout never reaches CCD
    model = build(tiny_classifier(4, dropout=True))
    found = find_feature_sources(model)
    assert found == FeatureSources('head.layers.0.dropout',
                                   'head.layers.1.fc', 16)


def test_given_linear_sources_need_no_forward():
    model = build(tiny_classifier(4))
    calls = []
    model.backbone.register_forward_hook(lambda *a: calls.append(1))
    found = find_feature_sources(model, 'head.fc', 'head.fc')
    assert found.feat_dim == model.head.fc.in_features == 32 and not calls


def test_wrong_width_and_wrong_source_are_clear_errors():
    model = build(tiny_classifier(4))
    with pytest.raises(ValueError, match=r'student_feat_dim is 64 .* '
                       r'student_feat_dim=32'):
        find_feature_sources(model, feat_dim=64, side='student')
    with pytest.raises(ValueError) as error:
        find_feature_sources(model, feat_source='backbone.layer1',
                             side='teacher')
    # the message lists the modules that qualify, with their shapes
    assert 'teacher_feat_source' in str(error.value)
    assert 'head.fc  [Linear]  in (2, 32) -> out (2, 5)' in str(error.value)


def test_a_feature_that_is_not_pooled_lists_candidates():

    class TokenClassifier(nn.Module):
        """Logits from a linear layer on tokens, averaged afterwards."""

        def __init__(self):
            super().__init__()
            self.embed = nn.Conv2d(3, 8, 4, 4)
            self.fc = nn.Linear(8, 5)
            self.pool = nn.Flatten(1)

        def forward(self, x):
            tokens = self.embed(x).flatten(2).transpose(1, 2)
            return self.pool(self.fc(tokens).mean(1, keepdim=True))

    with pytest.raises(ValueError, match=r"input of the logits module "
                       r"'pool' is \(2, 1, 5\)"):
        find_feature_sources(TokenClassifier(), side='student')


def test_timm_vit_class_token_and_convnext_head():
    pytest.importorskip('timm')
    vit = build(
        dict(type='TimmClassifier', model_name='vit_tiny_patch16_224',
             img_size=32, patch_size=16, depth=1, num_classes=5))
    assert declared_input_size(vit) == (32, 32)
    found = find_feature_sources(vit)
    assert found == FeatureSources('model.fc_norm', 'model.head', 192)
    x = torch.randn(2, 3, 32, 32)
    feat, _ = recorded_input(vit, found.feat_source, x)
    # independently: timm's own pre-logits (the class token)
    torch.testing.assert_close(
        feat, vit.model.forward_head(vit.model.forward_features(x),
                                     pre_logits=True))
    convnext = build(
        dict(type='TimmClassifier', model_name='convnext_atto',
             num_classes=5))
    assert find_feature_sources(convnext) == FeatureSources(
        'model.head.pre_logits', 'model.head.fc', 320)


@pytest.mark.parametrize('name,expected', [
    ('resnet18', ('model.fc', 'model.fc', 512)),
    ('mobilenet_v2', ('model.classifier.0', 'model.classifier.1', 1280)),
])
def test_torchvision_models(name, expected):
    model = build(
        dict(type='TorchvisionClassifier', model_name=name, num_classes=5))
    assert find_feature_sources(model) == FeatureSources(*expected)


def test_mmpretrain_vit_deit_and_swin():
    vit = build(
        dict(type='ImageClassifier',
             backbone=dict(type='VisionTransformer',
                           arch=dict(embed_dims=32, num_layers=1,
                                     num_heads=2, feedforward_channels=64),
                           img_size=32, patch_size=16),
             neck=None,
             head=dict(type='VisionTransformerClsHead', num_classes=5,
                       in_channels=32)))
    found = find_feature_sources(vit)
    assert found == FeatureSources('head.layers.head', 'head.layers.head', 32)
    x = torch.randn(2, 3, 32, 32)
    feat, _ = recorded_input(vit, found.feat_source, x)
    # independently: the class token of the last layer, layer-normed
    torch.testing.assert_close(feat, vit.backbone(x)[-1])
    swin = build(
        dict(type='ImageClassifier',
             backbone=dict(type='SwinTransformer',
                           arch=dict(embed_dims=16, depths=[1, 1],
                                     num_heads=[1, 2]),
                           img_size=32, window_size=2, out_indices=(1, )),
             neck=dict(type='GlobalAveragePooling'),
             head=dict(type='LinearClsHead', num_classes=5, in_channels=32)))
    found = find_feature_sources(swin)
    assert found == FeatureSources('head.fc', 'head.fc', 32)
    feat, _ = recorded_input(swin, found.feat_source, x)
    torch.testing.assert_close(feat, swin.backbone(x)[-1].mean(dim=(2, 3)))


def test_model_that_runs_at_no_size_is_a_clear_error():

    class Fixed(nn.Module):

        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3 * 20 * 20, 5)

        def forward(self, x):
            return self.fc(F.relu(x).flatten(1))

    with pytest.raises(ValueError, match=r'input size \(32, 32\) or '
                       r'\(224, 224\).*teacher_input_size'):
        find_feature_sources(Fixed())
    assert find_feature_sources(Fixed(), input_size=20).feat_dim == 1200


def test_one_channel_network():
    # a Fashion-MNIST network: the dry forward feeds its 1 input channel
    cfg = tiny_classifier(4)
    cfg['backbone']['in_channels'] = 1
    model = build(cfg)
    assert declared_in_channels(model) == 1
    assert find_feature_sources(model).feat_dim == 32


def test_timm_backbone_in_an_image_classifier():
    pytest.importorskip('timm')
    model = build(
        dict(type='ImageClassifier',
             backbone=dict(type='TIMMBackbone', model_name='resnet18',
                           features_only=True, out_indices=(4, )),
             neck=dict(type='GlobalAveragePooling'),
             head=dict(type='LinearClsHead', num_classes=5,
                       in_channels=512)))
    assert find_feature_sources(model) == FeatureSources(
        'head.fc', 'head.fc', 512)
