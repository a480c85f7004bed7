# KD + difference KD (eq. 7) without CCD, resnet32x4 -> ShuffleV1 on two views.
_base_ = './r32x4_shv1_c100.py'
model = dict(terms=('kd', 'dkd'))
