# CRD + KD, wrn_40_2 -> ShuffleV1 on CIFAR-100
# (paper Table VII "CRD": 76.27, the CRD benchmark's CRD+KD): CE 1 + KD 1
# (tau 4) + CRD 0.8, 16384 negatives.
#   tools/dist_train.sh configs/crd/wrn40-2_shv1_c100.py 1
_base_ = [
    './_base_/crd_kd_c100.py',
    '../_base_/models/cifar/wrn_40_2.py',
    '../_base_/models/cifar/ShuffleV1.py',
]

model = dict(
    architecture={{_base_.ShuffleV1}},
    teacher={{_base_.wrn_40_2}},
    teacher_ckpt='work_dirs/wrn40-2_c100/epoch_240.pth',
    distiller=dict(
        connectors=dict(
            crd_student=dict(dim_in=960),
            crd_teacher=dict(dim_in=128))))

# RepDistiller trains MobileNetV2 and the ShuffleNets with lr 0.01.
optim_wrapper = dict(optimizer=dict(lr=0.01))
