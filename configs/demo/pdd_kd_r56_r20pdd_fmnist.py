# PDD under KD, the pdd group's other arm: pdd_dccd_r56_r20pdd_fmnist.py with
# DCCD's KD term alone (CE + KD on the same two views), so the two arms
# differ only in the method (DKD and CCD off).
_base_ = ['./pdd_dccd_r56_r20pdd_fmnist.py']

model = dict(terms=['kd'])
