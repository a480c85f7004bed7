# Table VI "mixup" (Zhang et al., alpha = 1, the CIFAR setting of the mixup
# paper): convex combinations of image pairs and of their one-hot labels,
# applied to the batch by the data preprocessor. Single view.
_base_ = './cifar100_bs64.py'

data_preprocessor = dict(batch_augments=dict(augments=dict(
    type='Mixup', alpha=1.0)))
