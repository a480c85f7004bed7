# DCCD, resnet32x4 -> resnet8x4 on CIFAR-100 (paper Table I: 76.57; teacher
# 79.42, student 72.50). beta = 25.6 / 256 = 0.1 (the default).
#   tools/dist_train.sh configs/dccd/r32x4_r8x4_c100.py 1
_base_ = [
    '../_base_/models/dccd.py',
    '../_base_/models/cifar/resnet32x4.py',
    '../_base_/models/cifar/resnet8x4.py',
    '../_base_/datasets/cifar100_bs64_batchviews.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.resnet8x4}},
    teacher={{_base_.resnet32x4}},
    teacher_ckpt='work_dirs/r32x4_c100/epoch_240.pth',
    student_feat_dim=256,
    teacher_feat_dim=256)
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
