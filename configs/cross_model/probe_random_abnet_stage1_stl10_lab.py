# Random-init baseline for the stage-1 probe: the same frozen ab-Net
# ResNet-18, never trained (mmpretrain's default initialisation; BN running
# statistics 0 / 1), so the probe measures what the untrained architecture
# alone gives. See probe_abnet_stage1_stl10_lab.py.
_base_ = ['./probe_abnet_stage1_stl10_lab.py']

model = dict(backbone=dict(init_cfg=None))
