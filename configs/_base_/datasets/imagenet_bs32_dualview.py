# ImageNet-1k, two views per image (DCCD): every image is decoded once and
# augmented twice, independently (RandomResizedCrop 224 + flip); the views are
# stacked view-major by MultiViewClsDataPreprocessor, so each GPU runs 2 x 32
# rows. Validation and test are mmpretrain's single-view pipeline.
_base_ = 'mmpretrain::_base_/datasets/imagenet_bs32.py'

data_preprocessor = dict(
    type='MultiViewClsDataPreprocessor',
    num_views=2,
    num_classes=1000,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)

view_pipeline = [
    dict(type='RandomResizedCrop', scale=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
]
train_pipeline = [
    dict(type='StrictLoadImageFromFile'),
    dict(type='DualView', transforms=view_pipeline),
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
