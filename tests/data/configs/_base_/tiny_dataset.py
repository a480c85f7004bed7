# Generated image-folder data (mmpretrain CustomDataset layout) written by
# tests/utils.py: ``<data_root>/{train,val}/<class>/<image>.png``, 8x8 RGB.
# Tests point ``data_root`` of each loader at a temporary folder with
# ``--cfg-options``.
dataset_type = 'CustomDataset'
data_root = 'data/tiny_image_folder'

train_pipeline = [
    dict(type='StrictLoadImageFromFile'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='StrictLoadImageFromFile'),
    dict(type='PackInputs'),
]

train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix='train',
        pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True),
)
val_dataloader = dict(
    batch_size=4,
    num_workers=0,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix='val',
        pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_dataloader = val_dataloader
test_evaluator = val_evaluator
