# vgg13 trained from scratch on CIFAR-100 with RandAugment (paper Table VI).
#   tools/dist_train.sh configs/vanilla/vgg13_c100_randaugment.py 1
_base_ = [
    '../_base_/models/cifar/vgg.py',
    '../_base_/datasets/cifar100_bs64_randaugment.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = {{_base_.vgg13}}
