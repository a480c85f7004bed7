# DCCD, torchvision ResNet-50 -> mmpretrain MobileNetV2 on ImageNet-1k. The
# teacher checkpoint is torchvision's own file; widths (2048 -> 1280) and
# recorders (`model.fc`, `head.fc`) are found by DCCD.
#   tools/dist_train.sh configs/any_pair/r50-tv_mv2_in1k.py 8
_base_ = [
    '../_base_/models/dccd.py',
    '../_base_/models/any_pair.py',
    '../_base_/datasets/imagenet_bs32_dualview.py',
    'mmpretrain::_base_/schedules/imagenet_bs256.py',
    '../_base_/default_runtime.py',
]

model = dict(
    architecture={{_base_.mobilenet_v2}},
    teacher={{_base_.torchvision_resnet50}},
    teacher_ckpt={{_base_.torchvision_resnet50_ckpt}})
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
