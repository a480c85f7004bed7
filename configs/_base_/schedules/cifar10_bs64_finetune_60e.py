# Fine-tuning a pruned CIFAR-10 student (PDD's last step; the abstract gives
# no recipe, this is our choice): 60 epochs, SGD lr 0.01, momentum 0.9,
# wd 5e-4, x0.1 at epochs 30 and 45, batch 64.
_base_ = './cifar100_bs64_240e.py'

optim_wrapper = dict(optimizer=dict(lr=0.01))
param_scheduler = dict(milestones=[30, 45])
train_cfg = dict(max_epochs=60)
