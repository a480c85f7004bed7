# KD + difference KD (eq. 7) without CCD, resnet56 -> resnet20 on two views (paper Table VIII: 71.79).
_base_ = './r56_r20_c100.py'
model = dict(terms=('kd', 'dkd'))
