# Hinton KD baseline, wrn_40_2 -> ShuffleV1 on CIFAR-100 (paper Table VII "KD":
# 74.83). Single view, student CE 0.1, KD 0.9, tau 4.
#   tools/dist_train.sh configs/kd/wrn40-2_shv1_c100.py 1
_base_ = [
    '../_base_/models/kd.py',
    '../_base_/models/cifar/wrn_40_2.py',
    '../_base_/models/cifar/ShuffleV1.py',
    '../_base_/datasets/cifar100_bs64.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.ShuffleV1}},
    teacher={{_base_.wrn_40_2}},
    teacher_ckpt='work_dirs/wrn40-2_c100/epoch_240.pth')
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')

# RepDistiller trains MobileNetV2 and the ShuffleNets with lr 0.01.
optim_wrapper = dict(optimizer=dict(lr=0.01))
