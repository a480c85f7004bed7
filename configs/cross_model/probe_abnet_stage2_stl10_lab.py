# Linear probe on stage 2 of the CCD-distilled ab-Net (paper Table IV, CCD
# row, layer 2): the 128-channel map of residual stage 2 (layer2) pooled to
# 6x6 -> 4608 features -> one linear layer. See
# _base_/probe_stl10_lab.py and README.md.
_base_ = ['./_base_/probe_stl10_lab.py']

model = dict(
    backbone=dict(backbone=dict(out_indices=(1, ))),
    neck=dict(output_size=6),
    head=dict(in_channels=128 * 6 * 6))
