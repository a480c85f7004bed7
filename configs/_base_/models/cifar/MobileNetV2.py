# RepDistiller ``MobileNetV2`` for CIFAR-100 (812,836 parameters, pooled
# feature width 1280), referenced as ``_base_.MobileNetV2`` by vanilla and
# distillation configs.
MobileNetV2 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARMobileNetV2'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=1280,
        loss=dict(type='CrossEntropyLoss'),
        topk=(1, 5)))
