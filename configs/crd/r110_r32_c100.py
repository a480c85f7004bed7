# CRD baseline (mmrazor's CRDLoss / CRDConnector), resnet110 -> resnet32 on CIFAR-100
# (paper Table VII "CRD": 73.75). CE 1, CRD 0.8, 16384 negatives.
#   tools/dist_train.sh configs/crd/r110_r32_c100.py 1
_base_ = [
    '../_base_/models/crd.py',
    '../_base_/models/cifar/resnet110.py',
    '../_base_/models/cifar/resnet32.py',
    '../_base_/datasets/cifar100_bs64_crd.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.resnet32}},
    teacher={{_base_.resnet110}},
    teacher_ckpt='work_dirs/r110_c100/epoch_240.pth',
    distiller=dict(
        connectors=dict(
            crd_student=dict(dim_in=64),
            crd_teacher=dict(dim_in=64))))
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
