# DCCD, timm ViT-B/16 -> mmpretrain ResNet-18 on ImageNet-1k. No feature
# widths or module names: DCCD finds the ViT's class-token feature
# (`model.fc_norm` input, d = 768, beta = 25.6 / 768) and the ResNet's pooled
# feature (`head.fc` input, 512). The teacher checkpoint is timm's own state
# dict (how to write it: configs/_base_/models/any_pair.py); the ViT expects
# inputs normalised with mean = std = 127.5, which its rows are converted
# to (teacher_mean, teacher_std).
#   tools/dist_train.sh configs/any_pair/vit-b16-timm_r18_in1k.py 8
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
    teacher={{_base_.timm_vit_b16}},
    teacher_ckpt={{_base_.timm_vit_b16_ckpt}},
    teacher_mean={{_base_.timm_vit_b16_mean}},
    teacher_std={{_base_.timm_vit_b16_std}})
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
