# Table III, resnet110 -> resnet32: imitation term of L_CCD only (theta = 0), with CE (Table III: 73.63).
_base_ = '../r110_r32_c100.py'
model = dict(terms=('ccd', ), theta=0.0)
