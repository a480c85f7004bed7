# mmpretrain's runtime, plus the import that registers mmdccd (and applies its
# compatibility fixes) in every process, and three checks on every run: a
# model whose class count differs from the data's is refused before the first
# iteration, training stops at the first NaN/inf loss term (before a NaN
# checkpoint is written), and a distillation logs its teacher's validation
# accuracy before the first iteration (a wrong teacher_ckpt shows at once).
_base_ = 'mmpretrain::_base_/default_runtime.py'

custom_imports = dict(imports=['mmdccd'], allow_failed_imports=False)
default_scope = 'mmpretrain'
custom_hooks = [
    dict(type='ClassCountCheckHook'),
    dict(type='NonFiniteLossHook'),
    dict(type='TeacherAccuracyHook'),
]
