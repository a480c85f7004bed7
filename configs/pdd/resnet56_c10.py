# The CIFAR-10 teacher resnet56 of the PDD experiments (plain CE training,
# the benchmark's 240-epoch recipe).
#   tools/dist_train.sh configs/pdd/resnet56_c10.py 1 --work-dir work_dirs/resnet56_c10
_base_ = [
    './_base_/classifiers_c10.py',
    '../_base_/datasets/cifar10_bs64.py',
    '../_base_/schedules/cifar10_bs64_240e.py',
]

model = {{_base_.resnet56}}
