# Fig. 9(a): DCCD, WRN-40-2 -> WRN-16-2 with theta = 0.5 in eq. (4)
# (theta = 2.0 is configs/dccd/wrn40-2_wrn16-2_c100.py).
_base_ = '../wrn40-2_wrn16-2_c100.py'
model = dict(theta=0.5)
