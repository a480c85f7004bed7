# CCS (channel correlation structure, KSEM 2021) combined with KD, as every
# method of DCCD's Table I is, with DCCD's own CE / KD weights (eq. 14,
# alpha = 1), so CCS and DCCD differ only in their feature terms:
#   L = CE + KD(tau 4, batchmean) + ChannelCorrelationLoss
# The CCS loss reads the last-stage feature maps (the backbone's output,
# before global pooling) of the student and the teacher: intra-instance and
# inter-instance C x C channel correlations, mean squared error over entries
# (see mmdccd/models/losses/ccs_loss.py). Pair configs whose widths differ add
# a 1x1 conv + BN connector (mmrazor ConvModuleConnector) on the student.
# loss_weight 1: our untuned choice (the abstract gives no weight; sweep it).
_base_ = '../../_base_/models/kd.py'

model = dict(
    # CE 1 (eq. 14), replacing the RepDistiller KD recipe's 0.1 of
    # ../../_base_/models/kd.py: merged into a pair config's `architecture`.
    architecture=dict(head=dict(loss=dict(loss_weight=1.0))),
    distiller=dict(
        student_recorders=dict(
            feat=dict(type='ModuleOutputs', source='backbone')),
        teacher_recorders=dict(
            feat=dict(type='ModuleOutputs', source='backbone')),
        distill_losses=dict(
            loss_kd=dict(loss_weight=1.0),
            loss_ccs=dict(
                type='ChannelCorrelationLoss',
                intra_weight=1.0,
                inter_weight=1.0,
                eps=1e-5,
                loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_ccs=dict(
                preds_S=dict(from_student=True, recorder='feat', data_idx=0),
                preds_T=dict(from_student=False, recorder='feat',
                             data_idx=0)))))
