# Tiny DCCD (eq. 14) between CIFAR ResNets (resnet14 teacher -> resnet8
# student, both 64-d features) on generated 8x8 image-folder data: two views
# per image, four iterations, a checkpoint every two.
_base_ = [
    '../../../configs/_base_/models/dccd.py',
    './_base_/tiny_dataset.py',
    './_base_/tiny_schedule.py',
    '../../../configs/_base_/default_runtime.py',
]


student = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARResNet', depth=8),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=2,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss')))
teacher = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARResNet', depth=14),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=2,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss')))

model = dict(
    architecture=student,
    teacher=teacher,
    teacher_ckpt=None,
    student_feat_dim=64,
    teacher_feat_dim=64)
data_preprocessor = dict(
    type='MultiViewClsDataPreprocessor',
    num_views=2,
    num_classes=2,
    mean=[127.5] * 3,
    std=[127.5] * 3,
    to_rgb=True)
train_dataloader = dict(
    dataset=dict(pipeline=[
        dict(type='StrictLoadImageFromFile'),
        dict(
            type='DualView',
            transforms=[
                dict(type='RandomCrop', crop_size=8, padding=2),
                dict(type='RandomFlip', prob=0.5, direction='horizontal'),
            ]),
        dict(type='PackInputs'),
    ]))
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')

default_hooks = dict(
    logger=dict(type='LoggerHook', interval=1),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=2))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0)
