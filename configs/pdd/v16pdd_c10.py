# The PDD authors' CIFAR-10 teacher VGG16 (vgg16_pdd in
# ./_base_/classifiers_c10.py: the network of their code; they loaded a
# pretrained one). Plain CE training with the benchmark's 240-epoch recipe
# (our choice: their teacher recipe is not in their code); the last epoch is
# the teacher.
#   tools/dist_train.sh configs/pdd/v16pdd_c10.py 1 \
#       --work-dir work_dirs/v16pdd_c10
_base_ = [
    './_base_/classifiers_c10.py',
    '../_base_/datasets/cifar10_bs64.py',
    '../_base_/schedules/cifar10_bs64_240e.py',
]

model = {{_base_.vgg16_pdd}}
