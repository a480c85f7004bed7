# KD + difference KD (eq. 7) without CCD, vgg13 -> MobileNetV2 on two views (paper Table VIII: 68.40).
_base_ = './vgg13_mv2_c100.py'
model = dict(terms=('kd', 'dkd'))
