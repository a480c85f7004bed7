# The PDD authors' fine-tuning recipe: 150 epochs of CE, SGD lr 0.01,
# momentum 0.9, weight decay 5e-3, lr x0.1 at epochs 50 and 100, batch 256,
# their data. The best top-1 epoch on the held-out split is the fine-tuned
# model (the authors reported the best test epoch).
_base_ = ['./cifar10_bs256_heldout.py', './schedule_pdd_50e.py']

param_scheduler = dict(milestones=[50, 100])
train_cfg = dict(max_epochs=150)
