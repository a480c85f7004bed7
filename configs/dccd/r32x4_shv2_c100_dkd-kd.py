# KD + difference KD (eq. 7) without CCD, resnet32x4 -> ShuffleV2 on two views (paper Table VIII: 75.88).
_base_ = './r32x4_shv2_c100.py'
model = dict(terms=('kd', 'dkd'))
