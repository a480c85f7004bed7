# RepDistiller ``ShuffleV2`` for CIFAR-100 (1,355,528 parameters, pooled
# feature width 1024), referenced as ``_base_.ShuffleV2`` by vanilla and
# distillation configs.
ShuffleV2 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARShuffleNetV2'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=1024,
        loss=dict(type='CrossEntropyLoss'),
        topk=(1, 5)))
