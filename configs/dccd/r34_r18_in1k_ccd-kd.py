# Table II, "CCD+KD".
_base_ = './r34_r18_in1k.py'
model = dict(terms=('kd', 'ccd'))
