# RepDistiller ``ShuffleV1`` for CIFAR-100 (949,258 parameters, pooled
# feature width 960), referenced as ``_base_.ShuffleV1`` by vanilla and
# distillation configs.
ShuffleV1 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARShuffleNetV1'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=960,
        loss=dict(type='CrossEntropyLoss'),
        topk=(1, 5)))
