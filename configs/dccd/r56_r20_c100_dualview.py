# DCCD, resnet56 -> resnet20 on CIFAR-100, as r56_r20_c100.py, with the two views
# augmented per sample in the pipeline (DualView) instead of drawn in the
# data preprocessor: the same distribution of views, for comparing the two
# (docs/benchmarks.md).
#   tools/dist_train.sh configs/dccd/r56_r20_c100_dualview.py 1
_base_ = [
    './r56_r20_c100.py',
    '../_base_/datasets/cifar100_dualview_pipeline.py',
]

data_preprocessor = dict(batch_views=None)
train_dataloader = dict(
    dataset=dict(pipeline={{_base_.dualview_train_pipeline}}))
