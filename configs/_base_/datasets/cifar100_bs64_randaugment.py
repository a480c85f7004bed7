# Table VI "randaugment" (./cifar100_randaugment_transform.py) after
# crop + flip. Single view.
_base_ = ['./cifar100_bs64.py', './cifar100_randaugment_transform.py']

train_pipeline = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    {{_base_.rand_augment}},
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
