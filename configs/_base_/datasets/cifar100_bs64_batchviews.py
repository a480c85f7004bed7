# CIFAR-100, two views per image drawn in the data preprocessor: the dataset
# packs each image once, and MultiViewClsDataPreprocessor draws both views'
# random crop 32 (4 zero-padded pixels) and horizontal flip for the whole
# batch on the model's device, with the distribution of the per-sample
# RandomCrop + RandomFlip of cifar100_bs64_dualview.py (docs/benchmarks.md
# gives the throughput of both). A batch of 64 images is 128 rows.
# Validation and test stay single-view.
_base_ = './cifar100_bs64.py'

data_preprocessor = dict(
    type='MultiViewClsDataPreprocessor',
    num_views=2,
    batch_views=dict(crop_size=32, padding=4, prob=0.5))

train_pipeline = [dict(type='PackInputs')]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
