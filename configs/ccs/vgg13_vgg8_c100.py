# CCS + KD, vgg13 -> vgg8 on CIFAR-100 (DCCD paper Table I pair; KD 72.98, DCCD 74.9).
#   tools/dist_train.sh configs/ccs/vgg13_vgg8_c100.py 1
_base_ = [
    './_base_/ccs_kd.py',
    '../_base_/models/cifar/vgg.py',
    '../_base_/datasets/cifar100_bs64.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.vgg8}},
    teacher={{_base_.vgg13}},
    teacher_ckpt='work_dirs/vgg13_c100/epoch_240.pth')
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
