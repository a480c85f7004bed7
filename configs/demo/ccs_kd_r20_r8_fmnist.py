# Demo CCS + KD (the claims study's ccs group, docs/study.md): the demo's KD
# (CE 1 + KD 1, tau 4; kd_r20_r8_fmnist.py) plus the CCS term of
# configs/ccs/_base_/ccs_loss.py on the last-stage feature maps (both 64
# channels, 7 x 7), teacher resnet20 -> student resnet8, 128 images an
# iteration. The CCS weight is chosen on the held-out val split by the study
# (`claims_study.py run --groups ccs`); the value below is the one it chose.
# tools/demo.py and the study set teacher_ckpt.
_base_ = ['./kd_r20_r8_fmnist.py', '../ccs/_base_/ccs_loss.py']

model = dict(
    distiller=dict(
        student_recorders=dict(feat={{_base_.ccs_feat_recorder}}),
        teacher_recorders=dict(feat={{_base_.ccs_feat_recorder}}),
        distill_losses=dict(loss_ccs={{_base_.loss_ccs}}),
        loss_forward_mappings=dict(loss_ccs={{_base_.loss_ccs_mapping}})))
