# Demo CE + CCS, no KD (the claims study's ccs group): ccs_kd_r20_r8_fmnist.py
# with the CCS term as the only distillation loss.
_base_ = ['./ccs_kd_r20_r8_fmnist.py']

model = dict(
    distiller=dict(
        distill_losses=dict(_delete_=True, loss_ccs={{_base_.loss_ccs}}),
        loss_forward_mappings=dict(
            _delete_=True, loss_ccs={{_base_.loss_ccs_mapping}})))
