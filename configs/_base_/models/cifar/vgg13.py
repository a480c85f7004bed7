# RepDistiller ``vgg13`` for CIFAR-100 (9,462,180 parameters, pooled
# feature width 512), referenced as ``_base_.vgg13`` by vanilla and
# distillation configs.
vgg13 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARVGG', depth=13),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss'),
        topk=(1, 5)))
