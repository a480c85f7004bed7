# KD + difference KD (eq. 7) without CCD, ResNet50 -> vgg8 on two views (paper Table VIII: 74.14).
_base_ = './r50_vgg8_c100.py'
model = dict(terms=('kd', 'dkd'))
