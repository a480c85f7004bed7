# Table III, resnet110 -> resnet32: KD + L_CCD (Table III: 73.98).
_base_ = '../r110_r32_c100.py'
model = dict(terms=('kd', 'ccd'))
