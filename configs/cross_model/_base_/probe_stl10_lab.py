# Linear probe of the ab-Net (paper Table IV): the frozen ab-Net ResNet-18,
# one residual stage's output map adaptively average-pooled to a fixed grid
# and flattened (AdaptivePoolFlatten), and ONE linear layer (LinearClsHead,
# 10 classes), trained on STL-10 train (5k) and tested on STL-10 test (8k).
# A stage config sets the stage (`out_indices`), the grid and the head width.
#
# The backbone loads the student weights out of the distillation checkpoint:
# keys `architecture.backbone.*` of the DCCD checkpoint are the ab-Net's
# ChannelSelectBackbone (`backbone.*` = the wrapped ResNet). A checkpoint of
# tools/model_converters/extract_student.py holds them as `backbone.*`: use
# prefix='backbone.' for it. Frozen: frozen_stages=4 (stem and all stages
# requires_grad=False, eval mode) and norm_eval=True (BN keeps its running
# statistics).
# Recipe (the paper gives none; see README.md): 60 epochs, batch 64, SGD lr
# 0.1 momentum 0.9, no weight decay, x0.1 at epochs 30/40/50; train images
# resized 96 -> 64, RandomCrop 64 pad 4 + flip; test images resized to 64.
_base_ = ['../../_base_/default_runtime.py']

student_ckpt = 'work_dirs/ccd_lnet_abnet_stl10_lab/epoch_100.pth'
model = dict(
    type='ImageClassifier',
    data_preprocessor=dict(
        num_classes=10, mean=None, std=None, to_rgb=False),
    backbone=dict(
        type='ChannelSelectBackbone',
        channels=[1, 2],
        backbone=dict(
            type='ResNet_CIFAR',
            depth=18,
            in_channels=2,
            out_indices=(3, ),
            frozen_stages=4,
            norm_eval=True),
        init_cfg=dict(
            type='Pretrained',
            checkpoint=student_ckpt,
            prefix='architecture.backbone.')),
    neck=dict(type='AdaptivePoolFlatten', output_size=3, pool_type='avg'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=512 * 3 * 3,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, )))

data_root = 'data/stl10'
train_pipeline = [
    dict(type='Resize', scale=(64, 64)),
    dict(type='RandomCrop', crop_size=64, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RGBToLab', channel_order='rgb'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='Resize', scale=(64, 64)),
    dict(type='RGBToLab', channel_order='rgb'),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='STL10',
        data_root=data_root,
        split='train',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=256,
    num_workers=4,
    persistent_workers=True,
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='STL10',
        data_root=data_root,
        split='test',
        pipeline=test_pipeline))
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_dataloader = val_dataloader
test_evaluator = val_evaluator

# Only the linear head learns (the frozen backbone gets no gradient).
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[30, 40, 50], gamma=0.1)
train_cfg = dict(by_epoch=True, max_epochs=60, val_interval=10)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=64)
default_hooks = dict(
    checkpoint=dict(type='CheckpointHook', interval=10, max_keep_ckpts=1))
