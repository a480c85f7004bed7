# Fig. 9(b): KD + DKD with the MSE distance instead of KL, wrn_40_2 -> ShuffleV1
# (the KL version is configs/dccd/wrn40-2_shv1_c100_dkd-kd.py).
_base_ = '../wrn40-2_shv1_c100_dkd-kd.py'
model = dict(dkd_distance='mse')
