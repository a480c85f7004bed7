# DCCD*, wrn_40_2 -> ShuffleV1 on CIFAR-100 (paper Table VII: 78.49):
# DCCD plus the rotation augmentation (RandomRotate90 in each view;
# see configs/dccd/README.md).
#   tools/dist_train.sh configs/dccd/wrn40-2_shv1_c100_star.py 1
_base_ = [
    '../_base_/models/dccd.py',
    '../_base_/models/cifar/wrn_40_2.py',
    '../_base_/models/cifar/ShuffleV1.py',
    '../_base_/datasets/cifar100_bs64_dualview_rot.py',
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
