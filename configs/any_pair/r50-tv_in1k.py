# The torchvision ResNet-50 teacher as an mmpretrain classifier on
# ImageNet-1k: check a teacher checkpoint in torchvision's own format with
#   python tools/test.py configs/any_pair/r50-tv_in1k.py \
#       https://download.pytorch.org/models/resnet50-11ad3fa6.pth
_base_ = [
    '../_base_/models/any_pair.py',
    'mmpretrain::_base_/datasets/imagenet_bs32.py',
    'mmpretrain::_base_/schedules/imagenet_bs256.py',
    '../_base_/default_runtime.py',
]

model = {{_base_.torchvision_resnet50}}
