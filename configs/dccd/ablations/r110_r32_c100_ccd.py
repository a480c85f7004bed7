# Table III, resnet110 -> resnet32: L_CCD (imitation + contrastive) with CE (Table III: 73.85).
_base_ = '../r110_r32_c100.py'
model = dict(terms=('ccd', ))
