# Inherits mmpretrain's own base files through ``mmpretrain::`` paths and
# overrides the widths (64 -> 8), so the model is small to build.
_base_ = [
    'mmpretrain::_base_/models/resnet18_cifar.py',
    'mmpretrain::_base_/default_runtime.py',
]
custom_imports = dict(imports=['mmdccd'], allow_failed_imports=False)

model = dict(
    backbone=dict(stem_channels=8, base_channels=8),
    head=dict(in_channels=64))
