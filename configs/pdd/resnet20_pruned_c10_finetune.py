# Fine-tuning the pruned resnet20 student (PDD's last step) on CIFAR-10 with CE.
# Not used directly: tools/model_converters/pdd_prune.py writes a config that
# inherits this one and sets the kept widths (model.backbone.group_widths,
# model.head.in_channels) and load_from (the pruned weights).
_base_ = [
    './_base_/classifiers_c10.py',
    '../_base_/datasets/cifar10_bs64.py',
    '../_base_/schedules/cifar10_bs64_finetune_60e.py',
]

model = {{_base_.resnet20_pruned}}
