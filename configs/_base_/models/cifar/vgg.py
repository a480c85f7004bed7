# RepDistiller's VGG family for CIFAR-100 (pooled feature width 512), one
# network a key, referenced as ``_base_.vgg8`` ... ``_base_.vgg19`` by vanilla
# and distillation configs. Parameter counts (100 classes): vgg8 3,965,028;
# vgg11 9,277,284; vgg13 9,462,180; vgg16 14,774,436; vgg19 20,086,692.
# The family shares one head; a name starting with ``__`` stays local to this
# file (mmengine drops it), so configs see only the five networks.
__vgg_head = dict(
    type='LinearClsHead',
    num_classes=100,
    in_channels=512,
    loss=dict(type='CrossEntropyLoss'),
    topk=(1, 5))
vgg8 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARVGG', depth=8),
    neck=dict(type='GlobalAveragePooling'),
    head=__vgg_head)
vgg11 = dict(vgg8, backbone=dict(type='CIFARVGG', depth=11))
vgg13 = dict(vgg8, backbone=dict(type='CIFARVGG', depth=13))
vgg16 = dict(vgg8, backbone=dict(type='CIFARVGG', depth=16))
vgg19 = dict(vgg8, backbone=dict(type='CIFARVGG', depth=19))
