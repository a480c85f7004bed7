# DCCD*, ResNet50 -> vgg8 on CIFAR-100 (paper Table I: 75.88):
# DCCD plus the rotation augmentation (RandomRotate90 in each view;
# see configs/dccd/README.md).
#   tools/dist_train.sh configs/dccd/r50_vgg8_c100_star.py 1
_base_ = [
    '../_base_/models/dccd.py',
    '../_base_/models/cifar/ResNet50.py',
    '../_base_/models/cifar/vgg8.py',
    '../_base_/datasets/cifar100_bs64_dualview_rot.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.vgg8}},
    teacher={{_base_.ResNet50}},
    teacher_ckpt='work_dirs/r50_c100/epoch_240.pth',
    student_feat_dim=512,
    teacher_feat_dim=2048)
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
