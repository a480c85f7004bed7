# CIFAR-100, two views per image augmented per sample in the pipeline: each
# image is augmented twice, independently, with the benchmark's crop + flip;
# MultiViewClsDataPreprocessor stacks the views view-major, so a batch of 64
# images is 128 rows. The base of the views that add a per-sample
# augmentation (mixup, RandAugment, random erasing); plain crop + flip views
# are drawn faster in the preprocessor (cifar100_bs64_batchviews.py, the pair
# configs' base). Validation and test stay single-view.
_base_ = ['./cifar100_bs64.py', './cifar100_dualview_pipeline.py']

data_preprocessor = dict(
    type='MultiViewClsDataPreprocessor', num_views=2)

train_pipeline = {{_base_.dualview_train_pipeline}}
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
