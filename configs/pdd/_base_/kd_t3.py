# The PDD authors' objective, made correct: L = 0.6 CE + 0.4 KD with T = 3,
# KD = T^2 * KL(softmax(t / T) || softmax(s / T)), summed over classes and
# averaged over the batch (mmrazor's KLDivergence, reduction='batchmean').
# Their code computes 0.6 CE + 0.4 F.kl_div(log_softmax(s / 3),
# log_softmax(t / 3)) without log_target=True: NaN on current PyTorch and
# exactly 0 on the versions they ran (0 for targets <= 0), so their masks were
# learned from 0.6 CE alone (./recipe_ce_as_run.py reproduces that).
_base_ = '../../_base_/models/kd.py'

model = dict(
    architecture=dict(head=dict(loss=dict(loss_weight=0.6))),
    distiller=dict(
        distill_losses=dict(loss_kd=dict(tau=3, loss_weight=0.4))))
