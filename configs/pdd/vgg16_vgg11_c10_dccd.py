# PDD with DCCD in place of KD, vgg16 -> vgg11 on CIFAR-10: the student's channel
# masks train jointly with it under DCCD eq. (14) (CE + KD + DKD + beta CCD,
# beta = 25.6 / 512, two views); then tools/model_converters/pdd_prune.py and
# vgg11_pruned_c10_finetune.py.
#   tools/dist_train.sh configs/pdd/vgg16_vgg11_c10_dccd.py 1
_base_ = [
    '../_base_/models/dccd.py',
    './_base_/classifiers_c10.py',
    '../_base_/datasets/cifar10_bs64_dualview.py',
    '../_base_/schedules/cifar10_bs64_240e.py',
]

model = dict(
    architecture={{_base_.vgg11_masked}},
    teacher={{_base_.vgg16}},
    teacher_ckpt='work_dirs/vgg16_c10/epoch_240.pth',
    student_feat_dim=512,
    teacher_feat_dim=512)
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
# read by tools/model_converters/pdd_prune.py
pdd_finetune_config = 'vgg11_pruned_c10_finetune.py'
# The masks (parameters named *.pdd_masks.*.m) train with the student's
# optimizer and lr but without weight decay (our choice: decay would pull m
# towards the gate's threshold 0; the abstract does not ask for it).
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'pdd_masks': dict(decay_mult=0.0)}))
