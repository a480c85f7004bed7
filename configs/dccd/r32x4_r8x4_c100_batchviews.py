# DCCD, resnet32x4 -> resnet8x4 on CIFAR-100, as r32x4_r8x4_c100.py, with
# both views' crop + flip drawn in the data preprocessor on the model's device
# (cifar100_bs64_batchviews.py): the same distribution of views as DualView,
# the per-sample CPU work of one packed image (docs/benchmarks.md).
#   tools/dist_train.sh configs/dccd/r32x4_r8x4_c100_batchviews.py 1
_base_ = [
    './r32x4_r8x4_c100.py',
    '../_base_/datasets/cifar100_bs64_batchviews.py',
]

data_preprocessor = {{_base_.batch_views_preprocessor}}
train_pipeline = {{_base_.batch_views_train_pipeline}}
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
