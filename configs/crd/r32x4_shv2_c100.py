# CRD + KD, resnet32x4 -> ShuffleV2 on CIFAR-100
# (paper Table I "CRD": 76.05, the CRD benchmark's CRD+KD): CE 1 + KD 1
# (tau 4) + CRD 0.8, 16384 negatives.
#   tools/dist_train.sh configs/crd/r32x4_shv2_c100.py 1
_base_ = [
    './_base_/crd_kd_c100.py',
    '../_base_/models/cifar/resnet32x4.py',
    '../_base_/models/cifar/ShuffleV2.py',
]

model = dict(
    architecture={{_base_.ShuffleV2}},
    teacher={{_base_.resnet32x4}},
    teacher_ckpt='work_dirs/r32x4_c100/epoch_240.pth',
    distiller=dict(
        connectors=dict(
            crd_student=dict(dim_in=1024),
            crd_teacher=dict(dim_in=256))))

# RepDistiller trains MobileNetV2 and the ShuffleNets with lr 0.01.
optim_wrapper = dict(optimizer=dict(lr=0.01))
