# Table II, "CCD": the channel contrastive loss alone (with CE).
_base_ = './r34_r18_in1k.py'
model = dict(terms=('ccd', ))
