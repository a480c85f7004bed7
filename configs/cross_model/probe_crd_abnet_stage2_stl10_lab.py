# CRD baseline for the stage-2 probe (paper Table IV, CRD row, layer 2):
# the same probe on the ab-Net distilled by crd_lnet_abnet_stl10_lab.py
# (see the note there). See probe_abnet_stage2_stl10_lab.py.
_base_ = ['./probe_abnet_stage2_stl10_lab.py']

model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='work_dirs/crd_lnet_abnet_stl10_lab/epoch_100.pth')))
