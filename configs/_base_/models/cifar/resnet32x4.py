# RepDistiller ``resnet32x4`` for CIFAR-100 (7,433,860 parameters, pooled
# feature width 256), referenced as ``_base_.resnet32x4`` by vanilla and
# distillation configs.
resnet32x4 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARResNet', depth=32, widen=4),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=256,
        loss=dict(type='CrossEntropyLoss'),
        topk=(1, 5)))
