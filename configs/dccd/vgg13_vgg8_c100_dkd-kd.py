# KD + difference KD (eq. 7) without CCD, vgg13 -> vgg8 on two views (paper Table VIII: 74.20).
_base_ = './vgg13_vgg8_c100.py'
model = dict(terms=('kd', 'dkd'))
