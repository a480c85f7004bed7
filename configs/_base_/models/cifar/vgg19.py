# RepDistiller ``vgg19`` for CIFAR-100 (20,086,692 parameters, pooled
# feature width 512), referenced as ``_base_.vgg19`` by vanilla and
# distillation configs.
vgg19 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARVGG', depth=19),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss'),
        topk=(1, 5)))
