# DCCD, resnet110 -> resnet32 on CIFAR-100 (paper Table VII: 74.21; teacher
# 74.31, student 71.14). beta = 25.6 / 64 = 0.4 (the default).
#   tools/dist_train.sh configs/dccd/r110_r32_c100.py 1
_base_ = [
    '../_base_/models/dccd.py',
    '../_base_/models/cifar/resnet110.py',
    '../_base_/models/cifar/resnet32.py',
    '../_base_/datasets/cifar100_bs64_batchviews.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.resnet32}},
    teacher={{_base_.resnet110}},
    teacher_ckpt='work_dirs/r110_c100/epoch_240.pth',
    student_feat_dim=64,
    teacher_feat_dim=64)
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
