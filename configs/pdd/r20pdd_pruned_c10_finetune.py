# Fine-tuning the pruned resnet20 of the PDD authors (PDD's last step) on CIFAR-10
# with their recipe: CE, 150 epochs, the best epoch on the held-out split.
# Not used directly: tools/model_converters/pdd_prune.py writes a config that
# inherits this one and sets the kept widths (model.backbone.group_widths)
# and load_from (the pruned weights).
_base_ = [
    './_base_/classifiers_c10.py',
    './_base_/cifar10_bs256_heldout.py',
    './_base_/schedule_finetune_150e.py',
]

model = {{_base_.resnet20_pdd_pruned}}
