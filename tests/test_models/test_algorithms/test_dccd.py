"""The DCCD algorithm: eq. (14) assembled from its parts, one forward per
network on the stacked batch, a frozen eval-mode teacher, clear errors."""
import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope
from mmpretrain.structures import DataSample
from mmrazor.registry import MODELS

from mmdccd.models.algorithms.dccd import default_beta
from mmdccd.models.losses import ChannelContrastiveLoss, DifferenceKDLoss
from tests.utils import tiny_classifier as classifier


def build(**kwargs):
    init_default_scope('mmpretrain')
    cfg = dict(
        _scope_='mmrazor',
        type='DCCD',
        architecture=classifier(4),
        teacher=classifier(8),
        student_feat_dim=32,
        teacher_feat_dim=64,
        data_preprocessor=dict(type='MultiViewClsDataPreprocessor'))
    cfg.update(kwargs)
    return MODELS.build(cfg)


def batch(b=4, size=16):
    g = torch.Generator().manual_seed(0)
    return dict(
        inputs=[
            torch.randint(0, 256, (b, 3, size, size), generator=g,
                          dtype=torch.uint8) for _ in range(2)
        ],
        data_samples=[DataSample().set_gt_label(i % 5) for i in range(b)])


def count_forwards(module, counter, key):

    def hook(*args):
        counter[key].append(args[1][0].shape[0])

    return module.register_forward_hook(hook)


def test_eq14_from_recorded_outputs_and_one_forward_each():
    torch.manual_seed(0)
    model = build()
    model.train()
    data = model.data_preprocessor(batch(), training=True)
    calls = dict(student=[], teacher=[])
    count_forwards(model.student.backbone, calls, 'student')
    count_forwards(model.teacher.backbone, calls, 'teacher')
    captured = {}
    for side, net in (('student', model.student), ('teacher', model.teacher)):
        net.head.fc.register_forward_hook(
            lambda m, i, o, side=side: captured.update(
                {side: (i[0].detach(), o.detach())}))
    losses = model(**data, mode='loss')

    # one forward per network, on all 2b = 8 rows
    assert calls == dict(student=[8], teacher=[8])
    assert set(losses) == {
        'student.loss', 'distill.loss_kd', 'distill.loss_dkd',
        'distill.loss_ccd'
    }
    f_s, y_s = captured['student']
    f_t, y_t = captured['teacher']
    labels = torch.tensor([0, 1, 2, 3] * 2)
    torch.testing.assert_close(losses['student.loss'],
                               F.cross_entropy(y_s, labels))
    tau = 4.0
    kd = tau**2 * F.kl_div(
        F.log_softmax(y_s / tau, 1), F.softmax(y_t / tau, 1),
        reduction='sum') / 8
    torch.testing.assert_close(losses['distill.loss_kd'], kd)
    torch.testing.assert_close(losses['distill.loss_dkd'],
                               DifferenceKDLoss()(y_s, y_t))
    connector = model.distiller.connectors['ccd_student']
    beta = 25.6 / 64
    assert model.beta == pytest.approx(beta)
    torch.testing.assert_close(
        losses['distill.loss_ccd'],
        beta * ChannelContrastiveLoss()(connector(f_s), f_t))


def test_teacher_frozen_and_fully_in_eval_mode():
    model = build(
        teacher=classifier(8, dropout=True),
        teacher_feat_source='head.layers.0.fc',
        teacher_logits_source='head.layers.1.fc')
    model.train()
    assert model.student.training
    assert not any(m.training for m in model.teacher.modules())
    data = model.data_preprocessor(batch(), training=True)
    losses = model(**data, mode='loss')
    sum(losses.values()).backward()
    assert all(p.grad is None for p in model.teacher.parameters())
    assert all(p.grad is not None for p in model.student.backbone.parameters())


def test_switches_and_weights():
    model = build(
        terms=('kd', 'ccd'), alpha=0.5, beta=0.3, theta=0.0, tau=2.0,
        imitation_weight=1.0)
    losses = model.distiller.distill_losses
    assert set(losses) == {'loss_kd', 'loss_ccd'}
    assert losses['loss_kd'].loss_weight == 0.5 and losses['loss_kd'].tau == 2
    assert losses['loss_ccd'].loss_weight == 0.3
    assert losses['loss_ccd'].theta == 0.0
    assert default_beta(2048) == pytest.approx(0.0125)
    mse = build(terms=('dkd', ), dkd_distance='mse')
    assert mse.distiller.distill_losses['loss_dkd'].distance == 'mse'
    # fig. 9b: a temperature of DKD alone
    hot = build(tau=4.0, dkd_tau=8.0).distiller.distill_losses
    assert (hot['loss_kd'].tau, hot['loss_dkd'].tau) == (4.0, 8.0)
    same = build(tau=3.0).distiller.distill_losses
    assert (same['loss_kd'].tau, same['loss_dkd'].tau) == (3.0, 3.0)


def test_student_metrics_in_predict_mode():
    model = build()
    model.eval()
    single = dict(
        inputs=torch.randint(0, 256, (3, 3, 16, 16), dtype=torch.uint8),
        data_samples=[DataSample().set_gt_label(1) for _ in range(3)])
    out = model.val_step(single)
    assert len(out) == 3 and out[0].pred_score.shape == (5, )


def test_clear_errors():
    with pytest.raises(ValueError, match='MultiViewClsDataPreprocessor'):
        build(data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor'))
    with pytest.raises(ValueError, match='terms'):
        build(terms=('kd', 'crd'))
    with pytest.raises(ValueError, match=r'width \(32\) must equal'):
        build(connector=None)
    model = build()
    model.train()
    with pytest.raises(ValueError, match='not a multiple of 2'):
        model(torch.randn(5, 3, 16, 16), None, mode='loss')
    with pytest.raises(ValueError, match='one view'):
        model.data_preprocessor(
            dict(inputs=torch.zeros(4, 3, 16, 16, dtype=torch.uint8)), True)
