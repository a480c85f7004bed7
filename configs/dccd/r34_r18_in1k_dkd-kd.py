# Table II, "DKD+KD": difference KD on top of KD, no CCD.
_base_ = './r34_r18_in1k.py'
model = dict(terms=('kd', 'dkd'))
