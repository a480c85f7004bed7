# PDD under DCCD (the claims study's pdd group, docs/study.md): the demo's
# DCCD (eq. 14, beta 0.025, two views of 128 images) distilling a resnet56
# teacher (teacher_r56_fmnist.py, d = 64) into the PDD authors' resnet20 with
# PDD channel masks, trained jointly with it; then the closed channels are
# removed (mmdccd.models.pruning.prune_classifier) and the pruned student is
# fine-tuned. The masks decay like every weight (wd 5e-4 at lr 0.1: the same
# shrink a step as the authors' wd 5e-3 at lr 0.01); PDD has no other
# sparsity pressure. tools/demo.py and the study set teacher_ckpt.
_base_ = ['./dccd_r20_r8_fmnist.py']

model = dict(
    architecture={{_base_.pdd_student}},
    teacher=dict(backbone=dict(depth=56)))
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'pdd_masks': dict(decay_mult=1.0)}))
