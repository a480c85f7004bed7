# RepDistiller ``wrn_40_1`` for CIFAR-100 (569,780 parameters, pooled
# feature width 64), referenced as ``_base_.wrn_40_1`` by vanilla and
# distillation configs.
wrn_40_1 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='WideResNet', depth=40, widen_factor=1),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss'),
        topk=(1, 5)))
