# DCCD, ResNet50 -> MobileNetV2 on CIFAR-100 (paper Table VII: 71.20; teacher
# 79.34, student 64.60). beta = 25.6 / 2048 = 0.0125 (the default).
#   tools/dist_train.sh configs/dccd/r50_mv2_c100.py 1
_base_ = [
    '../_base_/models/dccd.py',
    '../_base_/models/cifar/ResNet50.py',
    '../_base_/models/cifar/MobileNetV2.py',
    '../_base_/datasets/cifar100_bs64_batchviews.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.MobileNetV2}},
    teacher={{_base_.ResNet50}},
    teacher_ckpt='work_dirs/r50_c100/epoch_240.pth',
    student_feat_dim=1280,
    teacher_feat_dim=2048)
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')

# RepDistiller trains MobileNetV2 and the ShuffleNets with lr 0.01.
optim_wrapper = dict(optimizer=dict(lr=0.01))
