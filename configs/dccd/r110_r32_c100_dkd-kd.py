# KD + difference KD (eq. 7) without CCD, resnet110 -> resnet32 on two views.
_base_ = './r110_r32_c100.py'
model = dict(terms=('kd', 'dkd'))
