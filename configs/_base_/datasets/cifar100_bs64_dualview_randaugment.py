# Table VI "randaugment" (./cifar100_randaugment_transform.py) on both views
# (each view draws its own policies).
_base_ = [
    './cifar100_bs64_dualview.py', './cifar100_randaugment_transform.py'
]

view_pipeline = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    {{_base_.rand_augment}},
]
train_pipeline = [
    dict(type='DualView', transforms=view_pipeline),
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
