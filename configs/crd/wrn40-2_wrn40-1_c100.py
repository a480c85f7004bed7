# CRD + KD, wrn_40_2 -> wrn_40_1 on CIFAR-100
# (paper Table VII "CRD": 74.38, the CRD benchmark's CRD+KD): CE 1 + KD 1
# (tau 4) + CRD 0.8, 16384 negatives.
#   tools/dist_train.sh configs/crd/wrn40-2_wrn40-1_c100.py 1
_base_ = [
    './_base_/crd_kd_c100.py',
    '../_base_/models/cifar/wrn_40_2.py',
    '../_base_/models/cifar/wrn_40_1.py',
]

model = dict(
    architecture={{_base_.wrn_40_1}},
    teacher={{_base_.wrn_40_2}},
    teacher_ckpt='work_dirs/wrn40-2_c100/epoch_240.pth',
    distiller=dict(
        connectors=dict(
            crd_student=dict(dim_in=64),
            crd_teacher=dict(dim_in=128))))
