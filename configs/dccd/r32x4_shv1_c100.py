# DCCD, resnet32x4 -> ShuffleV1 on CIFAR-100 (paper Table VII: 76.64; teacher
# 79.42, student 70.50). beta = 25.6 / 256 = 0.1 (the default).
#   tools/dist_train.sh configs/dccd/r32x4_shv1_c100.py 1
_base_ = [
    '../_base_/models/dccd.py',
    '../_base_/models/cifar/resnet32x4.py',
    '../_base_/models/cifar/ShuffleV1.py',
    '../_base_/datasets/cifar100_bs64_batchviews.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.ShuffleV1}},
    teacher={{_base_.resnet32x4}},
    teacher_ckpt='work_dirs/r32x4_c100/epoch_240.pth',
    student_feat_dim=960,
    teacher_feat_dim=256)
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')

# RepDistiller trains MobileNetV2 and the ShuffleNets with lr 0.01.
optim_wrapper = dict(optimizer=dict(lr=0.01))
