# RepDistiller ``wrn_40_2`` for CIFAR-100 (2,255,156 parameters, pooled
# feature width 128), referenced as ``_base_.wrn_40_2`` by vanilla and
# distillation configs.
wrn_40_2 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='WideResNet', depth=40, widen_factor=2),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=128,
        loss=dict(type='CrossEntropyLoss'),
        topk=(1, 5)))
