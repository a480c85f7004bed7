# CCS + KD, resnet56 -> resnet20 on CIFAR-100 (DCCD paper Table I pair; KD 70.66, DCCD 72.35).
#   tools/dist_train.sh configs/ccs/r56_r20_c100.py 1
_base_ = [
    './_base_/ccs_kd.py',
    '../_base_/models/cifar/resnet56.py',
    '../_base_/models/cifar/resnet20.py',
    '../_base_/datasets/cifar100_bs64.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.resnet20}},
    teacher={{_base_.resnet56}},
    teacher_ckpt='work_dirs/r56_c100/epoch_240.pth')
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
