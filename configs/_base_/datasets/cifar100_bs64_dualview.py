# CIFAR-100, two views per image (DCCD): each image is augmented twice,
# independently, with the benchmark's crop + flip; MultiViewClsDataPreprocessor
# stacks the views view-major, so a batch of 64 images is 128 rows.
# Validation and test stay single-view.
_base_ = './cifar100_bs64.py'

data_preprocessor = dict(
    type='MultiViewClsDataPreprocessor', num_views=2)

view_pipeline = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
]
train_pipeline = [
    dict(type='DualView', transforms=view_pipeline),
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
