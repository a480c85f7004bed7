# The PDD authors' recipe with a correct KD (./kd_t3.py): their data (batch
# 256, selection on the held-out split) and their 50-epoch schedule. A pair
# config adds `architecture`, `teacher`, `teacher_ckpt` and
# `pdd_finetune_config`.
_base_ = [
    './kd_t3.py', './cifar10_bs256_heldout.py', './schedule_pdd_50e.py'
]

# the student's and the teacher's accuracy on the held-out split
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
