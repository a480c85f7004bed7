# 4 iterations, a checkpoint every 2, and an lr that drops x0.1 after
# iterations 1 and 3 (lr 0.1 -> 0.01 -> 0.001), so a resumed run must restore
# the scheduler to reach the same lr as an uninterrupted one.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=False, milestones=[1, 3], gamma=0.1)

train_cfg = dict(type='IterBasedTrainLoop', max_iters=4, val_interval=4)
val_cfg = dict()
test_cfg = dict()

