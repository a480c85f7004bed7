# RepDistiller ``ResNet50`` for CIFAR-100 (23,705,252 parameters, pooled
# feature width 2048), referenced as ``_base_.ResNet50`` by vanilla and
# distillation configs.
ResNet50 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARResNet', depth=50),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=2048,
        loss=dict(type='CrossEntropyLoss'),
        topk=(1, 5)))
