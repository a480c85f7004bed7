# DCCD*'s training pipeline on CIFAR-100: the two-view pipeline plus SSKD's
# rotation. A star config inherits its pair config and this file, and sets
#   train_dataloader = dict(
#       dataset=dict(pipeline={{_base_.rot_train_pipeline}}))
# (names here differ from the dual-view base's, so both can be bases.)
# RandomRotate90 ends each view's pipeline: each view independently takes one
# of the orientations 0/90/180/270 degrees with probability 1/4 and keeps its
# label. DualView keeps every view's quarter turns (`rotate90_k`, its default
# view_keys) and PackInputs packs them, so that the preprocessor can give each
# row its own and UprightLinearClsHead can take CE on upright rows only.
rot_view_pipeline = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandomRotate90', prob=0.75),
]
rot_train_pipeline = [
    dict(type='DualView', transforms=rot_view_pipeline),
    dict(type='PackInputs', algorithm_keys=['rotate90_k']),
]
