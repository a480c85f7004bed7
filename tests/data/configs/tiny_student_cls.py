# A plain mmpretrain classifier (the student of tiny_kd.py): no mmrazor
# algorithm. Evaluates checkpoints written by extract_student.py.
_base_ = [
    'mmpretrain::_base_/default_runtime.py',
    './_base_/tiny_dataset.py',
    './_base_/tiny_schedule.py',
]
custom_imports = dict(imports=['mmdccd'], allow_failed_imports=False)

model = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    data_preprocessor=dict(
        num_classes=2, mean=[127.5] * 3, std=[127.5] * 3, to_rgb=True),
    backbone=dict(
        type='ResNet_CIFAR', depth=18, stem_channels=8, base_channels=8),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=2,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss')),
)

# overrides of mmpretrain's default_runtime.py
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=1),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=2))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0)
