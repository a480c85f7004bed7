# Hinton KD baseline, ResNet50 -> MobileNetV2 on CIFAR-100 (paper Table VII "KD":
# 67.35). Single view, student CE 0.1, KD 0.9, tau 4.
#   tools/dist_train.sh configs/kd/r50_mv2_c100.py 1
_base_ = [
    '../_base_/models/kd.py',
    '../_base_/models/cifar/ResNet50.py',
    '../_base_/models/cifar/MobileNetV2.py',
    '../_base_/datasets/cifar100_bs64.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.MobileNetV2}},
    teacher={{_base_.ResNet50}},
    teacher_ckpt='work_dirs/r50_c100/epoch_240.pth')
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')

# RepDistiller trains MobileNetV2 and the ShuffleNets with lr 0.01.
optim_wrapper = dict(optimizer=dict(lr=0.01))
