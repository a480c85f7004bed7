# CIFAR-100, two views per image drawn in the data preprocessor: the dataset
# packs each image once, and MultiViewClsDataPreprocessor draws both views'
# random crop 32 (4 zero-padded pixels) and horizontal flip for the whole
# batch on the model's device, with the distribution of the per-sample
# RandomCrop + RandomFlip of cifar100_bs64_dualview.py (docs/benchmarks.md
# gives the throughput of both). A batch of 64 images is 128 rows.
# Validation and test stay single-view.
# A batch-views config inherits its two-view pair config and this file, and
# sets (names here differ from the dual-view base's, so both can be bases)
#   data_preprocessor = {{_base_.batch_views_preprocessor}}
#   train_pipeline = {{_base_.batch_views_train_pipeline}}
#   train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
batch_views_preprocessor = dict(
    type='MultiViewClsDataPreprocessor',
    num_views=2,
    batch_views=dict(crop_size=32, padding=4, prob=0.5))
batch_views_train_pipeline = [dict(type='PackInputs')]
