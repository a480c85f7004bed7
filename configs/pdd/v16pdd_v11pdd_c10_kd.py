# PDD as its authors ran it, with a correct KD: their vgg16 -> vgg11 on
# CIFAR-10, the student's channel masks trained jointly with it for 50 epochs
# under L = 0.6 CE + 0.4 KD (T = 3, tau^2-scaled), masks decayed like every
# weight; the best epoch on the held-out split gives the masks; then
# tools/model_converters/pdd_prune.py and v11pdd_pruned_c10_finetune.py.
# Paper: 74.96% FLOPs and 76.43% parameters removed, top-1 -1.34%.
#   tools/dist_train.sh configs/pdd/v16pdd_v11pdd_c10_kd.py 1
_base_ = ['./_base_/recipe_kd.py', './_base_/classifiers_c10.py']

model = dict(
    architecture={{_base_.vgg11_pdd_masked}},
    teacher={{_base_.vgg16_pdd}},
    teacher_ckpt='work_dirs/v16pdd_c10/epoch_240.pth')
# read by tools/model_converters/pdd_prune.py
pdd_finetune_config = 'v11pdd_pruned_c10_finetune.py'
