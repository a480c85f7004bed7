# Table V, resnet56 -> resnet20: identity teacher transform, single linear layer student transform
# (Table V: 72.06).
# (Identity teacher + multi-layer student, 72.35, is configs/dccd/r56_r20_c100.py.)
_base_ = '../r56_r20_c100.py'
model = dict(
    connector=dict(type='MLPConnector', num_layers=1))
