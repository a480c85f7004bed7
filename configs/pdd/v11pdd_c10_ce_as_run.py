# PDD "as run": the authors' vgg11 with masks trained the way their code in
# effect trained it, on L = 0.6 CE alone (their KD term was exactly 0, see
# ./_base_/kd_t3.py), so no teacher; their schedule, masks from the best epoch
# on the held-out split. For comparison with v16pdd_v11pdd_c10_kd.py (the
# same recipe with a correct KD); then pdd_prune.py and
# v11pdd_pruned_c10_finetune.py.
#   tools/dist_train.sh configs/pdd/v11pdd_c10_ce_as_run.py 1
_base_ = ['./_base_/recipe_ce_as_run.py', './_base_/classifiers_c10.py']

model = {{_base_.vgg11_pdd_masked}}
# read by tools/model_converters/pdd_prune.py
pdd_finetune_config = 'v11pdd_pruned_c10_finetune.py'
