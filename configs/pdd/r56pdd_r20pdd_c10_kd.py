# PDD as its authors ran it, with a correct KD: their resnet56 -> resnet20 on
# CIFAR-10, the student's channel masks trained jointly with it for 50 epochs
# under L = 0.6 CE + 0.4 KD (T = 3, tau^2-scaled), masks decayed like every
# weight; the best epoch on the held-out split gives the masks; then
# tools/model_converters/pdd_prune.py and r20pdd_pruned_c10_finetune.py.
# Paper: 39.53% FLOPs and 32.77% parameters removed, top-1 +0.17%.
#   tools/dist_train.sh configs/pdd/r56pdd_r20pdd_c10_kd.py 1
_base_ = ['./_base_/recipe_kd.py', './_base_/classifiers_c10.py']

model = dict(
    architecture={{_base_.resnet20_pdd_masked}},
    teacher={{_base_.resnet56_pdd}},
    teacher_ckpt='work_dirs/r56pdd_c10/epoch_240.pth')
# read by tools/model_converters/pdd_prune.py
pdd_finetune_config = 'r20pdd_pruned_c10_finetune.py'
