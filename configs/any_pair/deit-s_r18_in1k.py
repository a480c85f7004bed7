# DCCD, mmpretrain DeiT-S -> ResNet-18 on ImageNet-1k. The DeiT feature is
# its class token (`head.layers.head` input, d = 384, beta = 25.6 / 384).
#   tools/dist_train.sh configs/any_pair/deit-s_r18_in1k.py 8
_base_ = [
    '../_base_/models/dccd.py',
    '../_base_/models/any_pair.py',
    '../_base_/models/imagenet_resnet.py',
    '../_base_/datasets/imagenet_bs32_dualview.py',
    'mmpretrain::_base_/schedules/imagenet_bs256.py',
    '../_base_/default_runtime.py',
]

model = dict(
    architecture={{_base_.resnet18}},
    teacher={{_base_.deit_small}},
    teacher_ckpt={{_base_.deit_small_ckpt}})
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
