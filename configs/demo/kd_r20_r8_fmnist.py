# Demo Hinton KD (mmdccd FrozenTeacherDistill + KLDivergence, tau = 4),
# teacher resnet20 -> student resnet8, 128 images an iteration:
# L = 1.0 * CE + 1.0 * KD, the best of four weightings on the held-out val
# split (tools/analysis_tools/demo_sweep.py, docs/demo.md; RepDistiller's
# 0.1 CE + 0.9 KD came second). tools/demo.py sets teacher_ckpt.
_base_ = ['./teacher_r20_fmnist.py']

model = dict(
    _delete_=True,
    _scope_='mmrazor',
    type='FrozenTeacherDistill',
    data_preprocessor={{_base_.data_preprocessor}},
    architecture=dict(
        _scope_='mmpretrain',
        type='ImageClassifier',
        backbone=dict(type='CIFARResNet', depth=8, in_channels=1),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=10,
            in_channels=64,
            loss=dict(type='CrossEntropyLoss', loss_weight=1.0))),
    teacher=dict(
        _scope_='mmpretrain',
        type='ImageClassifier',
        backbone=dict(type='CIFARResNet', depth=20, in_channels=1),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=10, in_channels=64)),
    teacher_ckpt=None,
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(
            logits=dict(type='ModuleOutputs', source='head.fc')),
        teacher_recorders=dict(
            logits=dict(type='ModuleOutputs', source='head.fc')),
        distill_losses=dict(
            loss_kd=dict(
                type='KLDivergence',
                tau=4,
                loss_weight=1.0,
                reduction='batchmean')),
        loss_forward_mappings=dict(
            loss_kd=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')))))

# The budget of the student alone (_base_/schedule.py).
train_cfg = dict(max_iters=800, val_interval=200)
