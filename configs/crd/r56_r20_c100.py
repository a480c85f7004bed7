# CRD + KD, resnet56 -> resnet20 on CIFAR-100
# (paper Table I "CRD": 71.63, the CRD benchmark's CRD+KD): CE 1 + KD 1
# (tau 4) + CRD 0.8, 16384 negatives.
#   tools/dist_train.sh configs/crd/r56_r20_c100.py 1
_base_ = [
    './_base_/crd_kd_c100.py',
    '../_base_/models/cifar/resnet56.py',
    '../_base_/models/cifar/resnet20.py',
]

model = dict(
    architecture={{_base_.resnet20}},
    teacher={{_base_.resnet56}},
    teacher_ckpt='work_dirs/r56_c100/epoch_240.pth',
    distiller=dict(
        connectors=dict(
            crd_student=dict(dim_in=64),
            crd_teacher=dict(dim_in=64))))
