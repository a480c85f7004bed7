# CIFAR-10 training schedule: the CIFAR-100 benchmark's recipe unchanged
# (240 epochs, SGD lr 0.05, momentum 0.9, wd 5e-4, x0.1 at 150/180/210,
# batch 64). The PDD abstract gives no schedule; we reuse the benchmark's.
_base_ = './cifar100_bs64_240e.py'
