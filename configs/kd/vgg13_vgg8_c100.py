# Hinton KD baseline, vgg13 -> vgg8 on CIFAR-100 (paper Table I "KD":
# 72.98). Single view, student CE 0.1, KD 0.9, tau 4.
#   tools/dist_train.sh configs/kd/vgg13_vgg8_c100.py 1
_base_ = [
    '../_base_/models/kd.py',
    '../_base_/models/cifar/vgg.py',
    '../_base_/datasets/cifar100_bs64.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.vgg8}},
    teacher={{_base_.vgg13}},
    teacher_ckpt='work_dirs/vgg13_c100/epoch_240.pth')
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
