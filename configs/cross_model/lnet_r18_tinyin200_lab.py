# Teacher "L-Net" of the cross-model transfer (paper section IV-B, Table IV):
# ResNet-18 on the L (luminance) channel of Tiny-ImageNet-200, trained with
# labels (CE), evaluated on Tiny-ImageNet val (10k images).
# Recipe (the paper gives none; see README.md): 100 epochs, SGD lr 0.1
# momentum 0.9 wd 5e-4, x0.1 at epochs 30/60/90, batch 128 on 1 GPU,
# RandomCrop 64 pad 4 + horizontal flip, then Lab.
_base_ = ['../_base_/default_runtime.py', './_base_/lab_resnet18.py']

model = {{_base_.lnet}}
data_preprocessor = dict(
    num_classes=200, mean=None, std=None, to_rgb=False)

data_root = 'data/tiny-imagenet-200'
# StrictLoadImageFromFile decodes BGR (grey JPEGs become 3 channels).
train_pipeline = [
    dict(type='StrictLoadImageFromFile'),
    dict(type='RandomCrop', crop_size=64, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RGBToLab', channel_order='bgr'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='StrictLoadImageFromFile'),
    dict(type='RGBToLab', channel_order='bgr'),
    dict(type='PackInputs'),
]

train_dataloader = dict(
    batch_size=128,
    num_workers=8,
    persistent_workers=True,
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='TinyImageNet',
        data_root=data_root,
        split='train',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=256,
    num_workers=8,
    persistent_workers=True,
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='TinyImageNet',
        data_root=data_root,
        split='val',
        pipeline=test_pipeline))
val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_dataloader = val_dataloader
test_evaluator = val_evaluator

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[30, 60, 90], gamma=0.1)
train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=5)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
default_hooks = dict(
    checkpoint=dict(type='CheckpointHook', interval=10, max_keep_ckpts=2))
