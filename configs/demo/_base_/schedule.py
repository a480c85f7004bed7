# The demo's fixed budget: iteration-based SGD with a cosine learning rate,
# validated on the held-out 'val' subset every `val_interval` iterations.
# Every student run (CE, KD, DCCD) gets the same iterations of the same 128
# images (800 x 128, about 1.9 epochs of the 55k training subset), as in the
# paper's protocol; DCCD sees two views of each image (256 network rows).
_base_ = ['../../_base_/default_runtime.py']

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4,
                   nesterov=True))
param_scheduler = dict(type='CosineAnnealingLR', by_epoch=False, eta_min=0.)

train_cfg = dict(type='IterBasedTrainLoop', max_iters=800, val_interval=200)
val_cfg = dict()
test_cfg = dict()

default_hooks = dict(
    logger=dict(type='LoggerHook', interval=100),
    checkpoint=dict(
        type='CheckpointHook', by_epoch=False, interval=-1, save_last=True,
        max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0, deterministic=False)
