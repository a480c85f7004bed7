# What the PDD authors' run amounted to: their KD term was exactly 0 (see
# ./kd_t3.py), so the student and its masks trained on L = 0.6 CE alone. A
# config adds `model = {{_base_.<student>}}`; this weight merges into its head.
model = dict(head=dict(loss=dict(loss_weight=0.6)))
