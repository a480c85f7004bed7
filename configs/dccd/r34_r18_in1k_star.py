# Table II, "DCCD*": the pair's DCCD plus SSKD's rotation augmentation, each
# view rotated by an independent random multiple of 90 degrees, hard-label CE
# on the upright rows only (see configs/dccd/README.md, "DCCD*").
#   tools/dist_train.sh configs/dccd/r34_r18_in1k_star.py 8
_base_ = [
    './r34_r18_in1k.py',
    '../_base_/datasets/imagenet_bs32_dualview_rot.py',
]

train_dataloader = dict(dataset=dict(pipeline={{_base_.rot_train_pipeline}}))
model = dict(architecture=dict(head=dict(type='UprightLinearClsHead')))
