# The recipe shared by the ab-Net students of the cross-model transfer (CCD,
# ccd_lnet_abnet_stl10_lab.py, and the CRD baseline,
# crd_lnet_abnet_stl10_lab.py), so that only the objective differs. The paper
# gives none (see README.md): 100 epochs, SGD lr 0.1 momentum 0.9 wd 5e-4,
# cosine to 0, 128 images a batch, on the 100k unlabelled STL-10 images.
_base_ = ['../../_base_/default_runtime.py', './lab_resnet18.py']

# The student's classification head runs (its input is the distilled
# feature) but gets no loss, so DDP must allow parameters without gradients.
find_unused_parameters = True

train_dataloader = dict(
    batch_size=128,
    num_workers=8,
    persistent_workers=True,
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=True))

# No labels, no validation: the students are evaluated by the linear probes
# (probe_*abnet_stage{1,2,3,4}_stl10_lab.py).
val_cfg = None
val_dataloader = None
val_evaluator = None
test_cfg = None
test_dataloader = None
test_evaluator = None

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(
    type='CosineAnnealingLR', by_epoch=True, T_max=100, eta_min=0.0)
train_cfg = dict(by_epoch=True, max_epochs=100)
auto_scale_lr = dict(base_batch_size=128)
default_hooks = dict(
    checkpoint=dict(type='CheckpointHook', interval=10, max_keep_ckpts=2))
