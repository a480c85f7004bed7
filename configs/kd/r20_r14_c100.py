# Hinton KD baseline, resnet20 -> resnet14 on CIFAR-100: the KD student of
# the paper's fig. 8a (t-SNE of channel features; no accuracy printed).
# Single view, student CE 0.1, KD 0.9, tau 4.
#   tools/dist_train.sh configs/kd/r20_r14_c100.py 1
_base_ = [
    '../_base_/models/kd.py',
    '../_base_/models/cifar/resnet20.py',
    '../_base_/models/cifar/resnet14.py',
    '../_base_/datasets/cifar100_bs64.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.resnet14}},
    teacher={{_base_.resnet20}},
    teacher_ckpt='work_dirs/r20_c100/epoch_240.pth')
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
