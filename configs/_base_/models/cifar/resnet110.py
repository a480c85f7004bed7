# RepDistiller ``resnet110`` for CIFAR-100 (1,736,564 parameters, pooled
# feature width 64), referenced as ``_base_.resnet110`` by vanilla and
# distillation configs.
resnet110 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARResNet', depth=110),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss'),
        topk=(1, 5)))
