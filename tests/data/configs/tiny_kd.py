# Tiny mmrazor KD: Hinton KD (tau = 4) between the logits (``head.fc``
# outputs) of a 16-wide ResNet-18 teacher and the 8-wide student of
# tiny_student_cls.py, on generated data.
_base_ = ['./tiny_student_cls.py']

model = dict(
    _delete_=True,
    _scope_='mmrazor',
    type='FrozenTeacherDistill',
    architecture={{_base_.model}},
    teacher=dict(
        _scope_='mmpretrain',
        type='ImageClassifier',
        data_preprocessor=dict(
            num_classes=2, mean=[127.5] * 3, std=[127.5] * 3, to_rgb=True),
        backbone=dict(
            type='ResNet_CIFAR', depth=18, stem_channels=16,
            base_channels=16),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=2,
            in_channels=128,
            loss=dict(type='CrossEntropyLoss'))),
    teacher_ckpt=None,
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(
            fc=dict(type='ModuleOutputs', source='head.fc')),
        teacher_recorders=dict(
            fc=dict(type='ModuleOutputs', source='head.fc')),
        distill_losses=dict(
            loss_kd=dict(
                type='KLDivergence',
                tau=4,
                loss_weight=1.0,
                reduction='batchmean')),
        loss_forward_mappings=dict(
            loss_kd=dict(
                preds_S=dict(from_student=True, recorder='fc'),
                preds_T=dict(from_student=False, recorder='fc')))),
)
