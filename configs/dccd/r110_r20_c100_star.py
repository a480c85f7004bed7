# DCCD*, resnet110 -> resnet20 on CIFAR-100 (paper Table VII: 72.17):
# the pair's DCCD plus SSKD's rotation in each view, hard-label CE on the
# upright rows only (see configs/dccd/README.md, "DCCD*").
#   tools/dist_train.sh configs/dccd/r110_r20_c100_star.py 1
_base_ = [
    './r110_r20_c100.py',
    '../_base_/datasets/cifar100_bs64_dualview_rot.py',
]

# rotation is per sample: both views are made in the pipeline
data_preprocessor = dict(batch_views=None)
train_dataloader = dict(dataset=dict(pipeline={{_base_.rot_train_pipeline}}))
model = dict(architecture=dict(head=dict(type='UprightLinearClsHead')))
