# RepDistiller ``resnet8x4`` for CIFAR-100 (1,233,540 parameters, pooled
# feature width 256), referenced as ``_base_.resnet8x4`` by vanilla and
# distillation configs.
resnet8x4 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARResNet', depth=8, widen=4),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=256,
        loss=dict(type='CrossEntropyLoss'),
        topk=(1, 5)))
