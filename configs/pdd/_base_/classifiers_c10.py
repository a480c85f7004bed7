# CIFAR-10 classifiers of the PDD experiments: the teachers (resnet56, vgg16)
# and the students with PDD masks (resnet20, vgg11; PrunableCIFARResNet /
# PrunableCIFARVGG, masks m ~ N(0, 1) x 0.001, gate (ApproxSign(m) + 1) / 2).

resnet56 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARResNet', depth=56),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))

vgg16 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARVGG', depth=16),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))

resnet20_masked = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='PrunableCIFARResNet', depth=20, use_masks=True),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))

vgg11_masked = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='PrunableCIFARVGG', depth=11, use_masks=True),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))

# with the KD baseline's CE weight 0.1 (L = 0.1 CE + 0.9 KD)
resnet20_masked_kd = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='PrunableCIFARResNet', depth=20, use_masks=True),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=0.1),
        topk=(1, 5)))

vgg11_masked_kd = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='PrunableCIFARVGG', depth=11, use_masks=True),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=0.1),
        topk=(1, 5)))

# pruned students for fine-tuning: tools/model_converters/pdd_prune.py
# writes a config that sets backbone.group_widths and head.in_channels.
resnet20_pruned = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='PrunableCIFARResNet', depth=20, use_masks=False),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))

vgg11_pruned = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='PrunableCIFARVGG', depth=11, use_masks=False),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
