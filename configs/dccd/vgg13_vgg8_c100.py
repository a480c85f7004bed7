# DCCD, vgg13 -> vgg8 on CIFAR-100 (paper Table I: 74.90; teacher
# 74.64, student 70.36). beta = 25.6 / 512 = 0.05 (the default).
#   tools/dist_train.sh configs/dccd/vgg13_vgg8_c100.py 1
_base_ = [
    '../_base_/models/dccd.py',
    '../_base_/models/cifar/vgg.py',
    '../_base_/datasets/cifar100_bs64_batchviews.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.vgg8}},
    teacher={{_base_.vgg13}},
    teacher_ckpt='work_dirs/vgg13_c100/epoch_240.pth',
    student_feat_dim=512,
    teacher_feat_dim=512)
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
