# Demo teacher: CIFAR resnet20 (one input channel) trained with CE on the
# Fashion-MNIST 'train' subset; tools/demo.py caches it by config hash.
_base_ = ['./_base_/fashion_mnist.py', './_base_/schedule.py']

model = dict(
    type='ImageClassifier',
    data_preprocessor={{_base_.data_preprocessor}},
    backbone=dict(type='CIFARResNet', depth=20, in_channels=1),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))

train_cfg = dict(max_iters=1000, val_interval=500)
