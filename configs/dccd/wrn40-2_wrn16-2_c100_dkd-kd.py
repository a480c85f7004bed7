# KD + difference KD (eq. 7) without CCD, wrn_40_2 -> wrn_16_2 on two views (paper Table VIII: 76.01).
_base_ = './wrn40-2_wrn16-2_c100.py'
model = dict(terms=('kd', 'dkd'))
