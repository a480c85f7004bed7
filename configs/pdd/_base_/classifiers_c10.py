# The CIFAR-10 classifiers of the PDD configs, every network written once.
#   ours (the CRD benchmark's networks): resnet56 / vgg16 teachers (CIFARResNet
#     with projection shortcuts, CIFARVGG), resnet20 / vgg11 students with PDD
#     masks (PrunableCIFARResNet / PrunableCIFARVGG) and pruned (*_pruned);
#   the PDD authors' networks (*_pdd): their resnet56 / vgg16 teachers
#     (PDDCIFARResNet, PDDCIFARVGG: zero-padded shortcuts, five poolings and a
#     three-layer classifier), their resnet20 / vgg11 students with masks
#     (PrunablePDDCIFARResNet / PrunablePDDCIFARVGG) and pruned.
# Masks: m ~ N(0, 1) x 0.001, gate (ApproxSign(m) + 1) / 2. The heads set no
# CE loss_weight (1.0): the distillation bases set the student's (0.1 in
# ../../_base_/models/kd.py, 0.6 in ./kd_t3.py) by merging into it.
gap_neck = dict(type='GlobalAveragePooling')
head_64 = dict(
    type='LinearClsHead',
    num_classes=10,
    in_channels=64,
    loss=dict(type='CrossEntropyLoss'),
    topk=(1, 5))
head_512 = dict(head_64, in_channels=512)

resnet56 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='CIFARResNet', depth=56),
    neck=gap_neck,
    head=head_64)
vgg16 = dict(resnet56, backbone=dict(type='CIFARVGG', depth=16), head=head_512)
resnet20_masked = dict(
    resnet56,
    backbone=dict(type='PrunableCIFARResNet', depth=20, use_masks=True))
vgg11_masked = dict(
    vgg16, backbone=dict(type='PrunableCIFARVGG', depth=11, use_masks=True))

# the PDD authors' networks (their VGG has no neck: the backbone ends on the
# classifier's second hidden layer, the head's fc is its third layer)
resnet56_pdd = dict(resnet56, backbone=dict(type='PDDCIFARResNet', depth=56))
vgg16_pdd = dict(vgg16, backbone=dict(type='PDDCIFARVGG', depth=16), neck=None)
resnet20_pdd_masked = dict(
    resnet56,
    backbone=dict(type='PrunablePDDCIFARResNet', depth=20, use_masks=True))
vgg11_pdd_masked = dict(
    vgg16_pdd,
    backbone=dict(type='PrunablePDDCIFARVGG', depth=11, use_masks=True))

# the students without masks, for fine-tuning once pruned:
# tools/model_converters/pdd_prune.py writes a config that sets
# backbone.group_widths (and head.in_channels)
resnet20_pruned = dict(
    resnet20_masked, backbone=dict(resnet20_masked['backbone'],
                                   use_masks=False))
vgg11_pruned = dict(
    vgg11_masked, backbone=dict(vgg11_masked['backbone'], use_masks=False))
resnet20_pdd_pruned = dict(
    resnet20_pdd_masked,
    backbone=dict(resnet20_pdd_masked['backbone'], use_masks=False))
vgg11_pdd_pruned = dict(
    vgg11_pdd_masked,
    backbone=dict(vgg11_pdd_masked['backbone'], use_masks=False))
