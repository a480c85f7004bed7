# CIFAR-100, two views per image (DCCD), both drawn in the data preprocessor:
# the dataset packs each image once, and MultiViewClsDataPreprocessor draws
# both views' random crop 32 (4 zero-padded pixels) and horizontal flip for
# the whole batch on the model's device, independently for every row, with
# the distribution of the per-sample RandomCrop + RandomFlip of
# cifar100_bs64_dualview.py; a batch of 64 images is 128 rows, view-major.
# About 3.7x the images a second of per-sample DualView on the CPU
# (docs/benchmarks.md). Views with other augmentations (rotation, mixup,
# RandAugment, random erasing) stay per-sample: cifar100_bs64_dualview*.py.
# Validation and test stay single-view.
_base_ = './cifar100_bs64.py'

data_preprocessor = dict(
    type='MultiViewClsDataPreprocessor',
    num_views=2,
    batch_views=dict(crop_size=32, padding=4, prob=0.5))

train_pipeline = [dict(type='PackInputs')]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
