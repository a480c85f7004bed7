# KD + difference KD (eq. 7) without CCD, wrn_40_2 -> wrn_40_1 on two views.
_base_ = './wrn40-2_wrn40-1_c100.py'
model = dict(terms=('kd', 'dkd'))
