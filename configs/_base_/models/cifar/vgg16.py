# RepDistiller ``vgg16`` for CIFAR-100 (14,774,436 parameters, pooled
# feature width 512), referenced as ``_base_.vgg16`` by vanilla and
# distillation configs.
vgg16 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARVGG', depth=16),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss'),
        topk=(1, 5)))
