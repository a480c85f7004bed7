# CCS + KD, resnet32x4 -> resnet8x4 on CIFAR-100 (DCCD paper Table I pair; KD 73.33, DCCD 76.57).
#   tools/dist_train.sh configs/ccs/r32x4_r8x4_c100.py 1
_base_ = [
    './_base_/ccs_kd.py',
    '../_base_/models/cifar/resnet32x4.py',
    '../_base_/models/cifar/resnet8x4.py',
    '../_base_/datasets/cifar100_bs64.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.resnet8x4}},
    teacher={{_base_.resnet32x4}},
    teacher_ckpt='work_dirs/r32x4_c100/epoch_240.pth')
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
