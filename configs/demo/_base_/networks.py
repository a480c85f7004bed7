# The demo's two networks, written once: CIFAR resnets (Table II's
# resnet20 and resnet8) on one grey input channel, 10 classes. Used by the
# classifier configs (teacher_r20_fmnist.py, student_r8_fmnist.py) and as
# the teacher and student of the distillation configs; `_scope_` lets the
# mmrazor algorithms build them from mmpretrain's registry.
teacher = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARResNet', depth=20, in_channels=1),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
student = dict(teacher, backbone=dict(type='CIFARResNet', depth=8, in_channels=1))
# The claims study's PDD group: the PDD authors' resnet20 (their student:
# zero-padded shortcuts, widening at the last block of stages 1 and 2) on
# one grey channel, with PDD channel masks (m ~ N(0, 1) x 0.001).
pdd_student = dict(
    student,
    backbone=dict(
        type='PrunablePDDCIFARResNet', depth=20, in_channels=1,
        use_masks=True))
