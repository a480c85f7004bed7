# CRD + KD, vgg13 -> MobileNetV2 on CIFAR-100
# (paper Table I "CRD": 69.94, the CRD benchmark's CRD+KD): CE 1 + KD 1
# (tau 4) + CRD 0.8, 16384 negatives.
#   tools/dist_train.sh configs/crd/vgg13_mv2_c100.py 1
_base_ = [
    './_base_/crd_kd_c100.py',
    '../_base_/models/cifar/vgg.py',
    '../_base_/models/cifar/MobileNetV2.py',
]

model = dict(
    architecture={{_base_.MobileNetV2}},
    teacher={{_base_.vgg13}},
    teacher_ckpt='work_dirs/vgg13_c100/epoch_240.pth',
    distiller=dict(
        connectors=dict(
            crd_student=dict(dim_in=1280),
            crd_teacher=dict(dim_in=512))))

# RepDistiller trains MobileNetV2 and the ShuffleNets with lr 0.01.
optim_wrapper = dict(optimizer=dict(lr=0.01))
