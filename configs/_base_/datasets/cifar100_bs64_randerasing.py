# Table VI "randerasing" (./cifar100_randerasing_transform.py) after
# crop + flip. Single view.
_base_ = ['./cifar100_bs64.py', './cifar100_randerasing_transform.py']

train_pipeline = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    {{_base_.random_erasing}},
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
