# The PDD authors' pruning-during-distillation schedule: 50 epochs, SGD lr
# 0.01, momentum 0.9, weight decay 5e-3 on every parameter (the masks too),
# lr x0.1 at epochs 20 and 40, batch 256. Validation every epoch on the
# held-out split; the best top-1 checkpoint (best_accuracy_top1_epoch_*.pth)
# holds the masks that are pruned (the authors took the best test epoch).
_base_ = '../../_base_/schedules/cifar10_bs64_240e.py'

optim_wrapper = dict(optimizer=dict(lr=0.01, weight_decay=5e-3))
param_scheduler = dict(milestones=[20, 40])
train_cfg = dict(max_epochs=50)
auto_scale_lr = dict(base_batch_size=256)
