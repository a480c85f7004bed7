# The CRD benchmark's CIFAR-100 schedule: 240 epochs, SGD lr 0.05 (0.01 when
# the student is MobileNetV2 / ShuffleNetV1 / ShuffleNetV2: set in those
# configs), momentum 0.9, wd 5e-4 on all parameters, lr x0.1 at epochs 150,
# 180 and 210, batch 64 on one GPU. Validation every epoch on the test split.
#
# This base includes the runtime (mmdccd's default_runtime.py) so it can set
# the checkpoint policy: the last checkpoint (epoch_240.pth, the number the
# benchmark reports) and the best top-1 one (best_accuracy_top1_epoch_*.pth,
# CheckpointHook save_best; the best top-1 is written to the log).
_base_ = '../default_runtime.py'

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[150, 180, 210], gamma=0.1)

train_cfg = dict(by_epoch=True, max_epochs=240, val_interval=1)
val_cfg = dict()
test_cfg = dict()

# lr 0.05 is for one GPU x 64 images; `--auto-scale-lr` scales it linearly.
auto_scale_lr = dict(base_batch_size=64)

default_hooks = dict(
    checkpoint=dict(
        type='CheckpointHook',
        interval=1,
        max_keep_ckpts=1,
        save_best='auto',
        rule='greater'))
