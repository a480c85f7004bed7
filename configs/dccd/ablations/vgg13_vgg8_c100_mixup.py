# DCCD, vgg13 -> vgg8 with mixup on both views (paper Table VI),
# teacher trained with the same augmentation.
#   tools/dist_train.sh configs/dccd/ablations/vgg13_vgg8_c100_mixup.py 1
_base_ = [
    '../../_base_/models/dccd.py',
    '../../_base_/models/cifar/vgg.py',
    '../../_base_/datasets/cifar100_bs64_dualview_mixup.py',
    '../../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.vgg8}},
    teacher={{_base_.vgg13}},
    teacher_ckpt='work_dirs/vgg13_c100_mixup/epoch_240.pth',
    student_feat_dim=512,
    teacher_feat_dim=512)
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
