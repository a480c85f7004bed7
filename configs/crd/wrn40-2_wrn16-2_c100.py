# CRD + KD, wrn_40_2 -> wrn_16_2 on CIFAR-100
# (paper Table I "CRD": 75.64, the CRD benchmark's CRD+KD): CE 1 + KD 1
# (tau 4) + CRD 0.8, 16384 negatives.
#   tools/dist_train.sh configs/crd/wrn40-2_wrn16-2_c100.py 1
_base_ = [
    './_base_/crd_kd_c100.py',
    '../_base_/models/cifar/wrn_40_2.py',
    '../_base_/models/cifar/wrn_16_2.py',
]

model = dict(
    architecture={{_base_.wrn_16_2}},
    teacher={{_base_.wrn_40_2}},
    teacher_ckpt='work_dirs/wrn40-2_c100/epoch_240.pth',
    distiller=dict(
        connectors=dict(
            crd_student=dict(dim_in=128),
            crd_teacher=dict(dim_in=128))))
