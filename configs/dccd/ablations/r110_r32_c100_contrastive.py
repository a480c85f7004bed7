# Table III, resnet110 -> resnet32: contrastive term of L_CCD only (imitation weight 0), with CE
# (Table III: 73.45).
_base_ = '../r110_r32_c100.py'
model = dict(terms=('ccd', ), imitation_weight=0.0)
