# What the PDD authors' run amounted to: their KD term was exactly 0 (see
# ./kd_t3.py), so the student and its masks trained on L = 0.6 CE alone, with
# their data, schedule and (here held-out) selection. A config adds
# `model = {{_base_.<student>}}`; this weight merges into its head.
_base_ = ['./cifar10_bs256_heldout.py', './schedule_pdd_50e.py']

model = dict(head=dict(loss=dict(loss_weight=0.6)))
