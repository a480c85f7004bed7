"""FrozenTeacherDistill: distillation on unlabelled data. The frozen
teacher and a student without its task loss run in tensor mode (no label is
read), the data samples still reach a recorder on the student, and the
distillation loss equals one computed by hand from the two networks."""
import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope
from mmpretrain.structures import DataSample
from mmrazor.registry import MODELS

import mmdccd  # noqa: F401
from tests.utils import tiny_classifier as classifier


def build(calculate_student_loss=False,
          algorithm='FrozenTeacherDistill',
          student_classes=5,
          **kwargs):
    """Student width 4, teacher width 8; KD on the logits, and a recorder
    of the student's own inputs (as CRD's data samples)."""
    init_default_scope('mmpretrain')
    return MODELS.build(
        dict(
            _scope_='mmrazor',
            type=algorithm,
            architecture=classifier(4, num_classes=student_classes),
            teacher=classifier(8),
            calculate_student_loss=calculate_student_loss,
            distiller=dict(
                type='ConfigurableDistiller',
                student_recorders=dict(
                    logits=dict(type='ModuleOutputs', source='head.fc'),
                    inputs=dict(type='ModuleInputs', source='')),
                teacher_recorders=dict(
                    logits=dict(type='ModuleOutputs', source='head.fc')),
                distill_losses=dict(
                    loss_kd=dict(
                        type='KLDivergence', tau=2, reduction='batchmean')),
                loss_forward_mappings=dict(
                    loss_kd=dict(
                        preds_S=dict(from_student=True, recorder='logits'),
                        preds_T=dict(from_student=False,
                                     recorder='logits')))),
            **kwargs))


def unlabelled(b=3):
    torch.manual_seed(0)
    inputs = torch.randn(b, 3, 16, 16)
    # STL-10's unlabelled split: gt_label -1, which a CE loss cannot take
    samples = [DataSample().set_gt_label(-1) for _ in range(b)]
    return inputs, samples


def test_unlabelled_batch_gives_the_distillation_loss_alone():
    model = build()
    model.train()
    assert not model.teacher.training
    inputs, samples = unlabelled()
    losses = model(inputs, samples, mode='loss')
    assert set(losses) == {'distill.loss_kd'}
    with torch.no_grad():
        s = model.student(inputs, mode='tensor')
        t = model.teacher(inputs, mode='tensor')
    # Hinton KD, tau^2-scaled, mean over rows, computed here by hand
    p_t = F.softmax(t / 2, dim=1)
    expected = 4 * (p_t * (p_t.log() - F.log_softmax(s / 2, dim=1))).sum(
        1).mean()
    torch.testing.assert_close(losses['distill.loss_kd'].detach(), expected)
    # the student's own inputs, data samples included, were recorded
    recorder = model.distiller.student_recorders.get_recorder('inputs')
    recorded = recorder.get_record_data(data_idx=1)
    assert recorded is samples
    losses['distill.loss_kd'].backward()
    assert model.student.head.fc.weight.grad is not None
    assert all(p.grad is None for p in model.teacher.parameters())


def test_student_loss_when_asked_and_untrainable_student():
    model = build(calculate_student_loss=True)
    model.train()
    inputs, _ = unlabelled()
    labelled = [DataSample().set_gt_label(i % 5) for i in range(3)]
    losses = model(inputs, labelled, mode='loss')
    assert set(losses) == {'student.loss', 'distill.loss_kd'}
    # a student that is not trained gets no gradient from the loss
    frozen = build(student_trainable=False)
    frozen.train()
    loss = frozen(*unlabelled(), mode='loss')['distill.loss_kd']
    assert not loss.requires_grad


def test_mmrazor_single_teacher_distill_fails_on_unlabelled_data():
    """Why the class exists: mmrazor 1.0.0 runs both networks in loss mode,
    and the cross-entropy on gt_label -1 fails."""
    model = build(algorithm='SingleTeacherDistill')
    model.train()
    with pytest.raises((IndexError, RuntimeError)):
        model(*unlabelled(), mode='loss')


def test_logit_loss_between_different_classes_is_refused_at_build():
    with pytest.raises(ValueError) as error:
        build(student_classes=3)
    message = str(error.value)
    assert "['loss_kd']" in message
    assert 'teacher has 5 classes and the student 3' in message


def cross_model_dccd(**kwargs):
    """DCCD between a 200-class teacher and a 10-class student, as in the
    cross-model transfer."""
    init_default_scope('mmpretrain')
    return MODELS.build(
        dict(
            _scope_='mmrazor',
            type='DCCD',
            architecture=classifier(4, num_classes=10),
            teacher=classifier(8, num_classes=200),
            student_feat_dim=32,
            teacher_feat_dim=64,
            data_preprocessor=dict(
                type='MultiViewClsDataPreprocessor', num_views=2),
            **kwargs))


def test_feature_only_pair_of_different_classes_is_legal():
    model = cross_model_dccd(terms=('ccd', ))
    assert model.teacher.head.num_classes == 200
    with pytest.raises(ValueError, match="'loss_kd', 'loss_dkd'"):
        cross_model_dccd()
