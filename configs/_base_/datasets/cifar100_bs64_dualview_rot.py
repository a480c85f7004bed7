# DCCD*: the two-view pipeline plus the rotation augmentation of SSKD. Our
# wiring (the paper does not give one): RandomRotate90 at the end of each
# view's pipeline, so each view independently takes one of the four
# orientations 0/90/180/270 degrees with probability 1/4 and keeps its label.
_base_ = './cifar100_bs64_dualview.py'

view_pipeline = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandomRotate90', prob=0.75),
]
train_pipeline = [
    dict(type='DualView', transforms=view_pipeline),
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
