# PDD with its authors' objective, 0.6 CE + 0.4 KD at T = 3 (tau^2-scaled,
# batchmean; configs/pdd/_base_/kd_t3.py), one view of 128 images, on the
# pdd group's resnet56 teacher and masked PDD resnet20 (the claims study
# reports it beside the KD and DCCD arms, not in their comparison).
_base_ = ['./kd_r20_r8_fmnist.py']

model = dict(
    architecture=dict(
        backbone={{_base_.pdd_student.backbone}},
        head=dict(loss=dict(loss_weight=0.6))),
    teacher=dict(backbone=dict(depth=56)),
    distiller=dict(distill_losses=dict(loss_kd=dict(tau=3, loss_weight=0.4))))
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'pdd_masks': dict(decay_mult=1.0)}))
