# vgg8 trained from scratch on CIFAR-100 with random erasing (paper Table VI).
#   tools/dist_train.sh configs/vanilla/vgg8_c100_randerasing.py 1
_base_ = [
    '../_base_/models/cifar/vgg.py',
    '../_base_/datasets/cifar100_bs64_randerasing.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = {{_base_.vgg8}}
