# Linear probe on stage 1 of the CCD-distilled ab-Net (paper Table IV, CCD
# row, layer 1): the 64-channel map of residual stage 1 (layer1) pooled to
# 8x8 -> 4096 features -> one linear layer. See
# _base_/probe_stl10_lab.py and README.md.
_base_ = ['./_base_/probe_stl10_lab.py']

model = dict(
    backbone=dict(backbone=dict(out_indices=(0, ))),
    neck=dict(output_size=8),
    head=dict(in_channels=64 * 8 * 8))
