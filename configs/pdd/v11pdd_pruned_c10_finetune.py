# Fine-tuning the pruned vgg11 of the PDD authors (PDD's last step) on
# CIFAR-10 with their recipe: CE, 150 epochs, the best epoch on the held-out
# split. Not used directly: tools/model_converters/pdd_prune.py writes a
# config that inherits this one and sets the kept widths
# (model.backbone.group_widths) and load_from (the pruned weights).
_base_ = ['./_base_/recipe_finetune.py', './_base_/classifiers_c10.py']

model = {{_base_.vgg11_pdd_pruned}}
