# DCCD, resnet56 -> resnet20 on CIFAR-100, as r56_r20_c100.py, with both views'
# crop + flip drawn in the data preprocessor on the model's device
# (cifar100_bs64_batchviews.py): the same distribution of views as DualView,
# the per-sample CPU work of one packed image (docs/benchmarks.md).
#   tools/dist_train.sh configs/dccd/r56_r20_c100_batchviews.py 1
_base_ = [
    '../_base_/models/dccd.py',
    '../_base_/models/cifar/resnet56.py',
    '../_base_/models/cifar/resnet20.py',
    '../_base_/datasets/cifar100_bs64_batchviews.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.resnet20}},
    teacher={{_base_.resnet56}},
    teacher_ckpt='work_dirs/r56_c100/epoch_240.pth',
    student_feat_dim=64,
    teacher_feat_dim=64)
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
