# CCS + KD, wrn_40_2 -> wrn_16_2 on CIFAR-100 (DCCD paper Table I pair; KD 74.92, DCCD 76.56).
#   tools/dist_train.sh configs/ccs/wrn40-2_wrn16-2_c100.py 1
_base_ = [
    './_base_/ccs_kd.py',
    '../_base_/models/cifar/wrn_40_2.py',
    '../_base_/models/cifar/wrn_16_2.py',
    '../_base_/datasets/cifar100_bs64.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.wrn_16_2}},
    teacher={{_base_.wrn_40_2}},
    teacher_ckpt='work_dirs/wrn40-2_c100/epoch_240.pth')
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
