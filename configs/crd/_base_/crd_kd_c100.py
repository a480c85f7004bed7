# CRD as the DCCD paper compares it: "all methods are combined with the
# original KD", and its CRD column equals the CRD benchmark's CRD+KD numbers
# (RepDistiller `train_student.py --distill crd -r 1 -a 1 -b 0.8`):
#   L = CE + KD(tau 4, tau^2-scaled, batchmean) + 0.8 * CRD
# on CIFAR-100 with the benchmark's schedule. mmrazor's KLDivergence is
# RepDistiller's DistillKL: tau^2 * KL(teacher || student), summed over
# classes, averaged over the batch. CRD's parts are in
# configs/_base_/models/crd.py. A pair config adds the two networks, the
# teacher checkpoint and the connectors' `dim_in`.
_base_ = [
    '../../_base_/models/crd.py',
    '../../_base_/datasets/cifar100_bs64_crd.py',
    '../../_base_/schedules/cifar100_bs64_240e.py',
]

model = dict(
    distiller=dict(
        student_recorders=dict(
            logits=dict(type='ModuleOutputs', source='head.fc')),
        teacher_recorders=dict(
            logits=dict(type='ModuleOutputs', source='head.fc')),
        distill_losses=dict(
            loss_kd=dict(type='KLDivergence', tau=4, loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_kd=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')))))
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
