# vgg13 trained from scratch on CIFAR-100 (CRD benchmark recipe: 240 epochs,
# batch 64, SGD, x0.1 at 150/180/210). Teachers of the distillation configs.
#   tools/dist_train.sh configs/vanilla/vgg13_c100.py 1
_base_ = [
    '../_base_/models/cifar/vgg.py',
    '../_base_/datasets/cifar100_bs64.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = {{_base_.vgg13}}
