# RepDistiller ``vgg8`` for CIFAR-100 (3,965,028 parameters, pooled
# feature width 512), referenced as ``_base_.vgg8`` by vanilla and
# distillation configs.
vgg8 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARVGG', depth=8),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss'),
        topk=(1, 5)))
