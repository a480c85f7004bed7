# DCCD*, ResNet50 -> vgg8 on CIFAR-100 (paper Table I: 75.88):
# the pair's DCCD plus SSKD's rotation in each view, hard-label CE on the
# upright rows only (see configs/dccd/README.md, "DCCD*").
#   tools/dist_train.sh configs/dccd/r50_vgg8_c100_star.py 1
_base_ = [
    './r50_vgg8_c100.py',
    '../_base_/datasets/cifar100_bs64_dualview_rot.py',
]

# rotation is per sample: both views are made in the pipeline
data_preprocessor = dict(batch_views=None)
train_dataloader = dict(dataset=dict(pipeline={{_base_.rot_train_pipeline}}))
model = dict(architecture=dict(head=dict(type='UprightLinearClsHead')))
