# Table II, "DCCD*": DCCD plus SSKD's rotation augmentation, each view rotated
# by an independent random multiple of 90 degrees (see configs/dccd/README.md).
_base_ = './r34_r18_in1k.py'

train_dataloader = dict(
    dataset=dict(pipeline=[
        dict(type='StrictLoadImageFromFile'),
        dict(
            type='DualView',
            transforms=[
                dict(type='RandomResizedCrop', scale=224),
                dict(type='RandomFlip', prob=0.5, direction='horizontal'),
                dict(type='RandomRotate90'),
            ]),
        dict(type='PackInputs'),
    ]))
