# CCS + KD, resnet32x4 -> ShuffleV2 on CIFAR-100 (DCCD paper Table I pair; KD 74.45, DCCD 77.41).
#   tools/dist_train.sh configs/ccs/r32x4_shv2_c100.py 1
_base_ = [
    './_base_/ccs_kd.py',
    '../_base_/models/cifar/resnet32x4.py',
    '../_base_/models/cifar/ShuffleV2.py',
    '../_base_/datasets/cifar100_bs64.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.ShuffleV2}},
    teacher={{_base_.resnet32x4}},
    teacher_ckpt='work_dirs/r32x4_c100/epoch_240.pth',
    distiller=dict(
        # student width 1024 -> teacher width 256: 1x1 conv + BN
        connectors=dict(
            ccs_student=dict(
                type='ConvModuleConnector',
                in_channel=1024,
                out_channel=256,
                kernel_size=1,
                norm_cfg=dict(type='BN'),
                act_cfg=None)),
        loss_forward_mappings=dict(
            loss_ccs=dict(preds_S=dict(connector='ccs_student')))))
# RepDistiller trains MobileNetV2 and the ShuffleNets with lr 0.01.
optim_wrapper = dict(optimizer=dict(lr=0.01))
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
