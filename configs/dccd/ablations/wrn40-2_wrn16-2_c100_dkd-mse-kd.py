# Fig. 9(b): KD + DKD with the MSE distance instead of KL, wrn_40_2 -> wrn_16_2
# (the KL version is configs/dccd/wrn40-2_wrn16-2_c100_dkd-kd.py).
_base_ = '../wrn40-2_wrn16-2_c100_dkd-kd.py'
model = dict(dkd_distance='mse')
