"""ChannelSelectBackbone: teacher sees L, student sees ab of one Lab batch."""
import numpy as np
import pytest
import torch

import mmdccd  # noqa: F401
import mmdccd.models.utils  # noqa: F401  (until mmdccd.models imports it)
from mmdccd.datasets.transforms import RGBToLab
from mmpretrain.registry import MODELS


def _classifier(channels, in_channels):
    return MODELS.build(
        dict(
            type='ImageClassifier',
            backbone=dict(
                type='ChannelSelectBackbone',
                channels=channels,
                backbone=dict(
                    type='ResNet', depth=18, in_channels=in_channels)),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=5, in_channels=512)))


def _lab_batch():
    """Two RGB images -> RGBToLab -> PackInputs -> preprocessor without
    normalisation (the Lab values are normalised already)."""
    rng = np.random.default_rng(0)
    to_lab = RGBToLab(channel_order='rgb')
    pack = MODELS.build(dict(type='ClsDataPreprocessor'))  # mean/std None
    inputs = [
        torch.from_numpy(
            to_lab(dict(img=rng.integers(0, 256, (32, 32, 3),
                                         dtype=np.uint8)))['img']).permute(
                                             2, 0, 1) for _ in range(2)
    ]
    batch = pack(dict(inputs=inputs), training=False)['inputs']
    # the preprocessor left the Lab values alone
    assert torch.equal(batch, torch.stack(inputs))
    return batch


def test_teacher_sees_l_and_student_sees_ab():
    torch.manual_seed(0)
    batch = _lab_batch()
    teacher = _classifier([0], 1)
    student = _classifier([1, 2], 2)
    teacher.eval()
    student.eval()
    with torch.no_grad():
        # same result as the bare backbone on the selected channels
        t_feats = teacher.extract_feat(batch)
        t_direct = teacher.neck(teacher.backbone.backbone(batch[:, :1]))
        s_feats = student.extract_feat(batch)
        s_direct = student.neck(student.backbone.backbone(batch[:, 1:]))
    torch.testing.assert_close(t_feats[-1], t_direct[-1])
    torch.testing.assert_close(s_feats[-1], s_direct[-1])
    # changing L changes only the teacher; changing a, b only the student
    other = batch.clone()
    other[:, 0] = -other[:, 0]
    with torch.no_grad():
        assert not torch.allclose(teacher(other), teacher(batch))
        torch.testing.assert_close(student(other), student(batch))


def test_names_and_errors():
    model = _classifier([2, 0], 2)
    assert 'backbone.backbone.layer4.1.conv2.weight' in model.state_dict()
    assert not any('index' in k for k in model.state_dict())
    with pytest.raises(ValueError, match=r'C > 2'):
        model.backbone(torch.zeros(1, 2, 8, 8))
    with pytest.raises(ValueError, match='non-empty'):
        MODELS.build(
            dict(
                type='ChannelSelectBackbone',
                channels=[],
                backbone=dict(type='ResNet', depth=18)))


def test_feature_finder_feeds_the_channels_the_selection_needs():
    from mmdccd.models.utils.feature_sources import (declared_in_channels,
                                                     find_feature_sources)
    ab_net = _classifier([1, 2], in_channels=2)
    # the first convolution takes 2 channels, but the input must have 3
    assert declared_in_channels(ab_net) == 3
    found = find_feature_sources(ab_net, side='student')
    assert (found.feat_source, found.feat_dim) == ('head.fc', 512)
