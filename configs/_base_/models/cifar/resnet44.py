# RepDistiller ``resnet44`` for CIFAR-100 (667,188 parameters, pooled
# feature width 64), referenced as ``_base_.resnet44`` by vanilla and
# distillation configs.
resnet44 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARResNet', depth=44),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss'),
        topk=(1, 5)))
