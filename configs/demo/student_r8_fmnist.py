# Demo student alone: CIFAR resnet8 (one input channel), CE only, 128 images
# an iteration.
_base_ = ['./_base_/fashion_mnist.py', './_base_/schedule.py']

model = dict(
    type='ImageClassifier',
    data_preprocessor={{_base_.data_preprocessor}},
    backbone=dict(type='CIFARResNet', depth=8, in_channels=1),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
