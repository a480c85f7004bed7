# DCCD, wrn_40_2 -> wrn_40_1 on CIFAR-100 (paper Table VII: 75.25; teacher
# 75.61, student 71.98). beta = 25.6 / 128 = 0.2 (the default).
#   tools/dist_train.sh configs/dccd/wrn40-2_wrn40-1_c100.py 1
_base_ = [
    '../_base_/models/dccd.py',
    '../_base_/models/cifar/wrn_40_2.py',
    '../_base_/models/cifar/wrn_40_1.py',
    '../_base_/datasets/cifar100_bs64_batchviews.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.wrn_40_1}},
    teacher={{_base_.wrn_40_2}},
    teacher_ckpt='work_dirs/wrn40-2_c100/epoch_240.pth',
    student_feat_dim=64,
    teacher_feat_dim=128)
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
