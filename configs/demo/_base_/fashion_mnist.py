# Fashion-MNIST for the demo (tools/demo.py): 28 x 28 grey images, 10 classes.
# The 60k training images are split into a 'train' subset and a held-out,
# class-stratified 'val' subset of 5,000 images (val_fraction = 1/12, fixed
# seed); hyper-parameters and curves use 'val', the 10k test set is only
# evaluated once, at the end of each run. tools/demo.py sets data_root.
dataset_type = 'LocalFashionMNIST'
data_root = '/usr/share/datasets/fashion-mnist'
val_fraction = 1 / 12  # 5,000 of 60,000
split_seed = 0

# mean / std of the Fashion-MNIST training pixels (0.2860, 0.3530) x 255
data_preprocessor = dict(
    type='mmpretrain.ClsDataPreprocessor', num_classes=10, mean=[72.94], std=[90.02])

train_pipeline = [
    dict(type='RandomCrop', crop_size=28, padding=2),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [dict(type='PackInputs')]

train_dataloader = dict(
    batch_size=128,
    num_workers=0,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='train',
        subset='train',
        val_fraction=val_fraction,
        seed=split_seed,
        pipeline=train_pipeline),
    sampler=dict(type='InfiniteSampler', shuffle=True),
)
val_dataloader = dict(
    batch_size=500,
    num_workers=0,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='train',
        subset='val',
        val_fraction=val_fraction,
        seed=split_seed,
        pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_dataloader = dict(
    batch_size=500,
    num_workers=0,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='test',
        pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
test_evaluator = val_evaluator
