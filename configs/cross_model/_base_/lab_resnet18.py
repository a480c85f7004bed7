# The two ResNet-18s of the cross-model transfer (paper Table IV), for 64x64
# normalised-Lab batches (RGBToLab: channel 0 = L, channels 1, 2 = a, b).
#
# Stem: CIFAR-style (mmpretrain ResNet_CIFAR: one 3x3 conv, stride 1, no
# max-pool), so the four residual stages see 64, 32, 16 and 8 pixel maps of a
# 64x64 image. The ImageNet stem (7x7 stride-2 conv + max-pool) would leave
# 16x16 maps at stage 1 and 2x2 at stage 4, too coarse for per-stage probes.
# Each network sees only its channels through ChannelSelectBackbone, so
# teacher and student take one stacked Lab batch from one preprocessor;
# parameters are named `backbone.backbone.*`.
# Teacher "L-Net": L channel, 200-way Tiny-ImageNet classifier.
lnet = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(
        type='ChannelSelectBackbone',
        channels=[0],
        backbone=dict(type='ResNet_CIFAR', depth=18, in_channels=1)),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=200,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))

# Student "ab-Net": a and b channels. Its head is never trained (CCD only,
# no labels); the CCD feature is the head's input, the pooled stage-4 map.
abnet = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(
        type='ChannelSelectBackbone',
        channels=[1, 2],
        backbone=dict(type='ResNet_CIFAR', depth=18, in_channels=2)),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
# Their data preprocessors take no mean/std and to_rgb=False: RGBToLab
# already normalises each channel to [-1, 1], and a BGR->RGB flip would
# reverse L, a, b.
