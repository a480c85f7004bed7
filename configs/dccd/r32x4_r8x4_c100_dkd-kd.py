# KD + difference KD (eq. 7) without CCD, resnet32x4 -> resnet8x4 on two views (paper Table VIII: 74.59).
_base_ = './r32x4_r8x4_c100.py'
model = dict(terms=('kd', 'dkd'))
