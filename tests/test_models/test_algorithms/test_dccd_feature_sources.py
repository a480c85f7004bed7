"""DCCD without feature widths or module names: it finds them, builds the
same model (same random initialisation) as a config that names them, and
adapts the rows for a teacher of another input size in its one forward."""
import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope
from mmpretrain.structures import DataSample
from mmrazor.registry import MODELS

import mmdccd  # noqa: F401
from tests.utils import tiny_classifier


def build(seed=0, **kwargs):
    init_default_scope('mmpretrain')
    torch.manual_seed(seed)
    cfg = dict(
        _scope_='mmrazor',
        type='DCCD',
        architecture=tiny_classifier(4),
        teacher=tiny_classifier(8),
        data_preprocessor=dict(type='MultiViewClsDataPreprocessor'))
    cfg.update(kwargs)
    return MODELS.build(cfg)


def sources(model):
    return {
        side: {name: r.source
               for name, r in getattr(model.distiller,
                                      f'{side}_recorders').recorders.items()}
        for side in ('student', 'teacher')
    }


def test_found_widths_and_sources_give_the_named_model_exactly():
    named = build(
        student_feat_dim=32, teacher_feat_dim=64,
        student_feat_source='head.fc', teacher_feat_source='head.fc',
        student_logits_source='head.fc', teacher_logits_source='head.fc')
    found = build()
    assert sources(found) == sources(named) == {
        side: dict(feat='head.fc', logits='head.fc')
        for side in ('student', 'teacher')
    }
    assert found.beta == named.beta == pytest.approx(25.6 / 64)
    connector = found.distiller.connectors['ccd_student']
    assert connector.in_channels == 32 and connector.out_channels == 64
    # the probe did not touch the random stream: identical initialisation
    a, b = found.state_dict(), named.state_dict()
    assert list(a) == list(b) and all(torch.equal(a[k], b[k]) for k in a)


def test_a_vit_teacher_needs_no_names():
    pytest.importorskip('timm')
    model = build(
        teacher=dict(_scope_='mmpretrain', type='TimmClassifier',
                     model_name='vit_tiny_patch16_224',
                     img_size=32, patch_size=16, depth=1, num_classes=5),
        teacher_input_size=32)
    assert sources(model)['teacher'] == dict(
        feat='model.fc_norm', logits='model.head')
    assert model.beta == pytest.approx(25.6 / 192)


def test_teacher_rows_resized_in_its_one_forward():
    model = build(teacher_input_size=24)
    model.train()
    g = torch.Generator().manual_seed(0)
    data = dict(
        inputs=[torch.randint(0, 256, (3, 3, 16, 16), generator=g,
                              dtype=torch.uint8) for _ in range(2)],
        data_samples=[DataSample().set_gt_label(i) for i in range(3)])
    data = model.data_preprocessor(data, training=True)
    seen = dict(student=[], teacher=[])
    for side in seen:
        getattr(model, side).backbone.register_forward_hook(
            lambda m, i, o, side=side: seen[side].append(i[0].detach()))
    logits = []
    model.teacher.head.fc.register_forward_hook(
        lambda m, i, o: logits.append(o.detach()))
    model(**data, mode='loss')
    rows = data['inputs']
    assert [x.shape for x in seen['student']] == [(6, 3, 16, 16)]
    assert [x.shape for x in seen['teacher']] == [(6, 3, 24, 24)]
    # independently: the teacher on the interpolated rows, same order
    model.teacher.eval()
    with torch.no_grad():
        expected = model.teacher.head.fc(
            model.teacher.neck(model.teacher.backbone(
                F.interpolate(rows, size=(24, 24), mode='bilinear',
                              align_corners=False)))[-1])
    torch.testing.assert_close(logits[0], expected)


def test_given_width_that_disagrees_is_a_clear_error():
    with pytest.raises(ValueError, match='teacher_feat_dim is 48'):
        build(teacher_feat_dim=48)
