# A deeper teacher for the claims study's PDD group: the demo teacher's recipe
# with CIFAR resnet56 (Table II's; d = 64 like resnet20's), so the gated
# student (the PDD authors' resnet20) learns from a teacher clearly larger
# than itself, as in the PDD paper's resnet56 -> resnet20.
_base_ = ['./teacher_r20_fmnist.py']

model = dict(backbone=dict(depth=56))
