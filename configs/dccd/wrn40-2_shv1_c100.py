# DCCD, wrn_40_2 -> ShuffleV1 on CIFAR-100 (paper Table VII: 76.81; teacher
# 79.34, student 70.36). beta = 25.6 / 128 = 0.2 (the default).
#   tools/dist_train.sh configs/dccd/wrn40-2_shv1_c100.py 1
_base_ = [
    '../_base_/models/dccd.py',
    '../_base_/models/cifar/wrn_40_2.py',
    '../_base_/models/cifar/ShuffleV1.py',
    '../_base_/datasets/cifar100_bs64_batchviews.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.ShuffleV1}},
    teacher={{_base_.wrn_40_2}},
    teacher_ckpt='work_dirs/wrn40-2_c100/epoch_240.pth',
    student_feat_dim=960,
    teacher_feat_dim=128)
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')

# RepDistiller trains MobileNetV2 and the ShuffleNets with lr 0.01.
optim_wrapper = dict(optimizer=dict(lr=0.01))
