# DCCD, resnet56 -> resnet20 on CIFAR-100 (paper Table I: 72.35; teacher
# 72.34, student 69.06). beta = 25.6 / 64 = 0.4 (the default).
#   tools/dist_train.sh configs/dccd/r56_r20_c100.py 1
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
