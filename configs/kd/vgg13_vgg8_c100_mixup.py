# Hinton KD, vgg13 -> vgg8 with mixup (paper Table VI), teacher
# trained with the same augmentation. CE 0.1, KD 0.9, tau 4.
#   tools/dist_train.sh configs/kd/vgg13_vgg8_c100_mixup.py 1
_base_ = [
    '../_base_/models/kd.py',
    '../_base_/models/cifar/vgg.py',
    '../_base_/datasets/cifar100_bs64_mixup.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.vgg8}},
    teacher={{_base_.vgg13}},
    teacher_ckpt='work_dirs/vgg13_c100_mixup/epoch_240.pth')
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
