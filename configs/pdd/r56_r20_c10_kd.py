# PDD with KD (as in the paper), resnet56 -> resnet20 on CIFAR-10: the student's channel
# masks train jointly with it under L = 0.1 CE + 0.9 KD (tau 4); then
#   tools/model_converters/pdd_prune.py (removes closed channels) and the
#   fine-tune config resnet20_pruned_c10_finetune.py.
# Paper: 39.53% FLOPs and 32.77% parameters removed, top-1 +0.17%.
#   tools/dist_train.sh configs/pdd/r56_r20_c10_kd.py 1
_base_ = [
    '../_base_/models/kd.py',
    './_base_/classifiers_c10.py',
    '../_base_/datasets/cifar10_bs64.py',
    '../_base_/schedules/cifar10_bs64_240e.py',
]

model = dict(
    architecture={{_base_.resnet20_masked}},
    teacher={{_base_.resnet56}},
    teacher_ckpt='work_dirs/resnet56_c10/epoch_240.pth')
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
# read by tools/model_converters/pdd_prune.py
pdd_finetune_config = 'resnet20_pruned_c10_finetune.py'
# The masks (parameters named *.pdd_masks.*.m) train with the student's
# optimizer and lr but without weight decay (our choice: decay would pull m
# towards the gate's threshold 0; the abstract does not ask for it).
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'pdd_masks': dict(decay_mult=0.0)}))
