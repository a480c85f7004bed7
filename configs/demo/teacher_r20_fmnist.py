# Demo teacher: CIFAR resnet20 (one input channel) trained with CE on the
# Fashion-MNIST 'train' subset; tools/demo.py caches it by config hash.
_base_ = [
    './_base_/fashion_mnist.py', './_base_/schedule.py',
    './_base_/networks.py'
]

model = dict(
    type='ImageClassifier',
    data_preprocessor={{_base_.data_preprocessor}},
    backbone={{_base_.teacher.backbone}},
    neck={{_base_.teacher.neck}},
    head={{_base_.teacher.head}})

train_cfg = dict(max_iters=1000, val_interval=500)
