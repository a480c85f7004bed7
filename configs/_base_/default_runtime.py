# mmpretrain's runtime, plus the import that registers mmdccd (and applies its
# compatibility fixes) in every process.
_base_ = 'mmpretrain::_base_/default_runtime.py'

custom_imports = dict(imports=['mmdccd'], allow_failed_imports=False)
default_scope = 'mmpretrain'
