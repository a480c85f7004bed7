# RepDistiller ``wrn_16_1`` for CIFAR-100 (180,916 parameters, pooled
# feature width 64), referenced as ``_base_.wrn_16_1`` by vanilla and
# distillation configs.
wrn_16_1 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='WideResNet', depth=16, widen_factor=1),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss'),
        topk=(1, 5)))
