# CCS + KD, vgg13 -> MobileNetV2 on CIFAR-100 (DCCD paper Table I pair; KD 67.37, DCCD 70.01).
#   tools/dist_train.sh configs/ccs/vgg13_mv2_c100.py 1
_base_ = [
    './_base_/ccs_kd.py',
    '../_base_/models/cifar/vgg.py',
    '../_base_/models/cifar/MobileNetV2.py',
    '../_base_/datasets/cifar100_bs64.py',
    '../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    architecture={{_base_.MobileNetV2}},
    teacher={{_base_.vgg13}},
    teacher_ckpt='work_dirs/vgg13_c100/epoch_240.pth',
    distiller=dict(
        # student width 1280 -> teacher width 512: 1x1 conv + BN
        connectors=dict(
            ccs_student=dict(
                type='ConvModuleConnector',
                in_channel=1280,
                out_channel=512,
                kernel_size=1,
                norm_cfg=dict(type='BN'),
                act_cfg=None)),
        loss_forward_mappings=dict(
            loss_ccs=dict(preds_S=dict(connector='ccs_student')))))
# RepDistiller trains MobileNetV2 and the ShuffleNets with lr 0.01.
optim_wrapper = dict(optimizer=dict(lr=0.01))
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
