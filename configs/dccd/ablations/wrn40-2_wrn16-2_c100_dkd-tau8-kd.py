# Fig. 9(b): KD + DKD with a higher temperature for DKD alone (tau 8; KD
# keeps tau 4), wrn_40_2 -> wrn_16_2. The paper names no value: 8
# doubles the default. (The tau-4 version is
# configs/dccd/wrn40-2_wrn16-2_c100_dkd-kd.py.)
_base_ = '../wrn40-2_wrn16-2_c100_dkd-kd.py'
model = dict(dkd_tau=8.0)
