# Demo student alone: CIFAR resnet8 (one input channel), CE only, 128 images
# an iteration.
_base_ = [
    './_base_/fashion_mnist.py', './_base_/schedule.py',
    './_base_/networks.py'
]

model = dict(
    type='ImageClassifier',
    data_preprocessor={{_base_.data_preprocessor}},
    backbone={{_base_.student.backbone}},
    neck={{_base_.student.neck}},
    head={{_base_.student.head}})
