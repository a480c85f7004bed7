# Linear probe on stage 4 of the CCD-distilled ab-Net (paper Table IV, CCD
# row, layer 4): the 512-channel map of residual stage 4 (layer4) pooled to
# 3x3 -> 4608 features -> one linear layer. See
# _base_/probe_stl10_lab.py and README.md.
_base_ = ['./_base_/probe_stl10_lab.py']

model = dict(
    backbone=dict(backbone=dict(out_indices=(3, ))),
    neck=dict(output_size=3),
    head=dict(in_channels=512 * 3 * 3))
