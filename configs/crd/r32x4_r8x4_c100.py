# CRD baseline (mmrazor's CRDLoss / CRDConnector), resnet32x4 -> resnet8x4 on CIFAR-100
# (paper Table I "CRD": 75.46). CE 1, CRD 0.8, 16384 negatives.
#   tools/dist_train.sh configs/crd/r32x4_r8x4_c100.py 1
_base_ = [
    '../_base_/models/crd.py',
    '../_base_/models/cifar/resnet32x4.py',
    '../_base_/models/cifar/resnet8x4.py',
    '../_base_/datasets/cifar100_bs64_crd.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.resnet8x4}},
    teacher={{_base_.resnet32x4}},
    teacher_ckpt='work_dirs/r32x4_c100/epoch_240.pth',
    distiller=dict(
        connectors=dict(
            crd_student=dict(dim_in=256),
            crd_teacher=dict(dim_in=256))))
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
