# CRD baseline of the cross-model transfer (paper Table IV, row CRD): the
# ab-Net ResNet-18 distilled from the frozen L-Net on the a, b channels of the
# 100k unlabelled STL-10 images with CRD ONLY (Tian et al., ICLR 2020,
# mmrazor's CRDLoss / CRDConnector): no labels, so no CE.
# Without labels every image is its own class (CRDSampleDataset
# sample_mode='instance'): image i is the positive of its own teacher
# embedding and 16384 negatives are drawn uniformly from the other images,
# for memory banks of all 100,000 images. One view per image (CRD's
# protocol; CCD's two views are CCD's own): RandomResizedCrop 64 + flip,
# then Lab. Embeddings: Linear(512, 128) + L2 norm on both pooled 512-d
# stage-4 features, NCE temperature 0.07, memory momentum 0.5.
# The recipe is the CCD student's (ccd_lnet_abnet_stl10_lab.py), so only the
# objective differs: 100 epochs, batch 128, SGD lr 0.1 momentum 0.9 wd 5e-4,
# cosine to 0. The probes probe_crd_abnet_stage{1,2,3,4}_stl10_lab.py read
# its checkpoint.
_base_ = [
    '../_base_/default_runtime.py', '../_base_/models/crd.py',
    './_base_/lab_resnet18.py'
]

num_images = 100000  # STL-10 unlabeled_X.bin
neg_num = 16384
model = dict(
    type='FrozenTeacherDistill',  # the frozen L-Net and the ab-Net need no labels
    data_preprocessor=dict(
        type='mmpretrain.ClsDataPreprocessor',
        mean=None,
        std=None,
        to_rgb=False),
    architecture={{_base_.abnet}},
    teacher={{_base_.lnet}},
    teacher_ckpt='work_dirs/lnet_r18_tinyin200_lab/epoch_100.pth',
    calculate_student_loss=False,
    distiller=dict(
        distill_losses=dict(
            loss_crd=dict(
                loss_weight=1.0, neg_num=neg_num, sample_n=num_images)),
        connectors=dict(
            crd_student=dict(dim_in=512), crd_teacher=dict(dim_in=512))))
# The student's classification head runs (its input is the CRD feature) but
# gets no loss, so DDP must allow parameters without gradients.
find_unused_parameters = True

# STL10 hands out RGB uint8 96x96 images; Lab comes after the crop.
train_pipeline = [
    dict(type='RandomResizedCrop', scale=64, crop_ratio_range=(0.2, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RGBToLab', channel_order='rgb'),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=128,
    num_workers=8,
    persistent_workers=True,
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='CRDSampleDataset',
        neg_num=neg_num,
        sample_mode='instance',
        dataset=dict(
            type='STL10',
            data_root='data/stl10',
            split='unlabeled',
            pipeline=train_pipeline)))

# No labels, no validation: the student is evaluated by the linear probes.
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
