# CIFAR-100 with the CRD benchmark's (RepDistiller's) pipeline: random crop 32
# with 4 zero-padded pixels and a horizontal flip for training; batch 64.
# Validation and test both use the 10,000-image test split (the benchmark has
# no separate validation split). Images come out RGB from the pickles, so
# to_rgb=False; RepDistiller's normalisation constants, on the 0-255 scale.
# Put the extracted ``cifar-100-python/`` folder under data/cifar100/.
dataset_type = 'LocalCIFAR100'
data_root = 'data/cifar100'
data_preprocessor = dict(
    type='mmpretrain.ClsDataPreprocessor',
    num_classes=100,
    mean=[129.3105, 124.1085, 112.404],
    std=[68.2125, 65.4075, 70.4055],
    to_rgb=False)

train_pipeline = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [dict(type='PackInputs')]

train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='train',
        verify_md5=True,
        pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='test',
        verify_md5=True,
        pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False))
val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_dataloader = val_dataloader
test_evaluator = val_evaluator
