# DCCD, wrn_40_2 -> wrn_16_2 on CIFAR-100 (paper Table I: 76.56; teacher
# 75.61, student 73.26). beta = 25.6 / 128 = 0.2 (the default).
#   tools/dist_train.sh configs/dccd/wrn40-2_wrn16-2_c100.py 1
_base_ = [
    '../_base_/models/dccd.py',
    '../_base_/models/cifar/wrn_40_2.py',
    '../_base_/models/cifar/wrn_16_2.py',
    '../_base_/datasets/cifar100_bs64_batchviews.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.wrn_16_2}},
    teacher={{_base_.wrn_40_2}},
    teacher_ckpt='work_dirs/wrn40-2_c100/epoch_240.pth',
    student_feat_dim=128,
    teacher_feat_dim=128)
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
