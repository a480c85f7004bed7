# KD + difference KD (eq. 7) without CCD, wrn_40_2 -> ShuffleV1 on two views.
_base_ = './wrn40-2_shv1_c100.py'
model = dict(terms=('kd', 'dkd'))
