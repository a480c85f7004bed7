# A wider teacher for the claims study's width factor: the demo teacher's
# recipe with RepDistiller's resnet8x4 (stem 32, stages 64/128/256), so its
# feature width is d = 256 instead of resnet20's 64.
_base_ = ['./teacher_r20_fmnist.py']

model = dict(backbone=dict(depth=8, widen=4), head=dict(in_channels=256))
