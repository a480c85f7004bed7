# KD + difference KD (eq. 7) without CCD, ResNet50 -> MobileNetV2 on two views.
_base_ = './r50_mv2_c100.py'
model = dict(terms=('kd', 'dkd'))
