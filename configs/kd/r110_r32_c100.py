# Hinton KD baseline, resnet110 -> resnet32 on CIFAR-100 (paper Table VII "KD":
# 73.08). Single view, student CE 0.1, KD 0.9, tau 4.
#   tools/dist_train.sh configs/kd/r110_r32_c100.py 1
_base_ = [
    '../_base_/models/kd.py',
    '../_base_/models/cifar/resnet110.py',
    '../_base_/models/cifar/resnet32.py',
    '../_base_/datasets/cifar100_bs64.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.resnet32}},
    teacher={{_base_.resnet110}},
    teacher_ckpt='work_dirs/r110_c100/epoch_240.pth')
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
