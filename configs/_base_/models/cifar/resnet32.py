# RepDistiller ``resnet32`` for CIFAR-100 (472,756 parameters, pooled
# feature width 64), referenced as ``_base_.resnet32`` by vanilla and
# distillation configs.
resnet32 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARResNet', depth=32),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss'),
        topk=(1, 5)))
