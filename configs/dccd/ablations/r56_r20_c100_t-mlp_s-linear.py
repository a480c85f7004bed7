# Table V, resnet56 -> resnet20: multi-layer teacher transform, single linear layer student
# transform (Table V: 71.56).
# (Identity teacher + multi-layer student, 72.35, is configs/dccd/r56_r20_c100.py.)
_base_ = '../r56_r20_c100.py'
model = dict(
    connector=dict(type='MLPConnector', num_layers=1),
    teacher_connector=dict(
        _delete_=True, type='MLPConnector', num_layers=2))
