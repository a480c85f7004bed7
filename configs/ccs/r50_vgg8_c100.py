# CCS + KD, ResNet50 -> vgg8 on CIFAR-100 (DCCD paper Table I pair; KD 73.81, DCCD 75.71).
#   tools/dist_train.sh configs/ccs/r50_vgg8_c100.py 1
_base_ = [
    './_base_/ccs_kd.py',
    '../_base_/models/cifar/ResNet50.py',
    '../_base_/models/cifar/vgg.py',
    '../_base_/datasets/cifar100_bs64.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.vgg8}},
    teacher={{_base_.ResNet50}},
    teacher_ckpt='work_dirs/r50_c100/epoch_240.pth',
    distiller=dict(
        # student width 512 -> teacher width 2048: 1x1 conv + BN
        connectors=dict(
            ccs_student=dict(
                type='ConvModuleConnector',
                in_channel=512,
                out_channel=2048,
                kernel_size=1,
                norm_cfg=dict(type='BN'),
                act_cfg=None)),
        loss_forward_mappings=dict(
            loss_ccs=dict(preds_S=dict(connector='ccs_student')))))
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
