# Table VI "randaugment" on both views (each view draws its own policies).
_base_ = './cifar100_bs64_dualview.py'

view_pipeline = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(
        type='RandAugment',
        policies='timm_increasing',
        num_policies=2,
        total_level=10,
        magnitude_level=9,
        magnitude_std=0.5,
        hparams=dict(pad_val=[129, 124, 112])),
]
train_pipeline = [
    dict(type='DualView', transforms=view_pipeline),
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
