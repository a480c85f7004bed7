# Linear probe on stage 3 of the CCD-distilled ab-Net (paper Table IV, CCD
# row, layer 3): the 256-channel map of residual stage 3 (layer3) pooled to
# 4x4 -> 4096 features -> one linear layer. See
# _base_/probe_stl10_lab.py and README.md.
_base_ = ['./_base_/probe_stl10_lab.py']

model = dict(
    backbone=dict(backbone=dict(out_indices=(2, ))),
    neck=dict(output_size=4),
    head=dict(in_channels=256 * 4 * 4))
