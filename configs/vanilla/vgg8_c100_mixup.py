# vgg8 trained from scratch on CIFAR-100 with mixup (paper Table VI).
#   tools/dist_train.sh configs/vanilla/vgg8_c100_mixup.py 1
_base_ = [
    '../_base_/models/cifar/vgg.py',
    '../_base_/datasets/cifar100_bs64_mixup.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = {{_base_.vgg8}}
