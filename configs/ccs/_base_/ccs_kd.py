# CCS (channel correlation structure, KSEM 2021) combined with KD, as every
# method of DCCD's Table I is, with DCCD's own CE / KD weights (eq. 14,
# alpha = 1), so CCS and DCCD differ only in their feature terms:
#   L = CE + KD(tau 4, batchmean) + ChannelCorrelationLoss
# The CCS term is ./ccs_loss.py (the last-stage feature maps, intra- and
# inter-instance channel correlations; mmdccd/models/losses/ccs_loss.py).
# Pair configs whose widths differ add a 1x1 conv + BN connector (mmrazor
# ConvModuleConnector) on the student.
_base_ = ['../../_base_/models/kd.py', './ccs_loss.py']

model = dict(
    # CE 1 (eq. 14), replacing the RepDistiller KD recipe's 0.1 of
    # ../../_base_/models/kd.py: merged into a pair config's `architecture`.
    architecture=dict(head=dict(loss=dict(loss_weight=1.0))),
    distiller=dict(
        student_recorders=dict(feat={{_base_.ccs_feat_recorder}}),
        teacher_recorders=dict(feat={{_base_.ccs_feat_recorder}}),
        distill_losses=dict(
            loss_kd=dict(loss_weight=1.0), loss_ccs={{_base_.loss_ccs}}),
        loss_forward_mappings=dict(loss_ccs={{_base_.loss_ccs_mapping}})))
