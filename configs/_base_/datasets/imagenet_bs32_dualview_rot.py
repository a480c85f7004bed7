# DCCD*'s training pipeline on ImageNet-1k: the two-view pipeline plus SSKD's
# rotation, each view rotated by an independent random multiple of 90 degrees
# (see cifar100_bs64_dualview_rot.py for the wiring). A star config inherits
# its pair config and this file, and sets
#   train_dataloader = dict(
#       dataset=dict(pipeline={{_base_.rot_train_pipeline}}))
rot_view_pipeline = [
    dict(type='RandomResizedCrop', scale=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandomRotate90', prob=0.75),
]
rot_train_pipeline = [
    dict(type='StrictLoadImageFromFile'),
    dict(type='DualView', transforms=rot_view_pipeline),
    dict(type='PackInputs', algorithm_keys=['rotate90_k']),
]
