# Hinton KD baseline, resnet32x4 -> ShuffleV2 on CIFAR-100 (paper Table I "KD":
# 74.45). Single view, student CE 0.1, KD 0.9, tau 4.
#   tools/dist_train.sh configs/kd/r32x4_shv2_c100.py 1
_base_ = [
    '../_base_/models/kd.py',
    '../_base_/models/cifar/resnet32x4.py',
    '../_base_/models/cifar/ShuffleV2.py',
    '../_base_/datasets/cifar100_bs64.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.ShuffleV2}},
    teacher={{_base_.resnet32x4}},
    teacher_ckpt='work_dirs/r32x4_c100/epoch_240.pth')
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')

# RepDistiller trains MobileNetV2 and the ShuffleNets with lr 0.01.
optim_wrapper = dict(optimizer=dict(lr=0.01))
