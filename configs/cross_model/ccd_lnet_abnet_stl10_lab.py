# Student "ab-Net" of the cross-model transfer (paper Table IV, row CCD):
# ResNet-18 on the a, b (chrominance) channels of the 100k unlabelled STL-10
# images, distilled from the frozen L-Net (lnet_r18_tinyin200_lab.py) with
# CCD ONLY: no labels, so no CE, KD or DKD. Each image gives two views
# (RandomResizedCrop 64 + flip, then Lab per view); both networks see the
# same stacked 2b-row Lab batch, the L-Net its L channel, the ab-Net its a, b
# channels. L_CCD (eq. 5) on the pooled 512-d stage-4 features, student
# mapped by the 2-layer MLPConnector; beta = 25.6 / 512 = 0.05.
# Recipe: _base_/stl10_unlabeled_distill.py (100 epochs, SGD lr 0.1, cosine,
# batch 128 images = 256 rows).
_base_ = ['../_base_/models/dccd.py', './_base_/stl10_unlabeled_distill.py']

model = dict(
    architecture={{_base_.abnet}},
    teacher={{_base_.lnet}},
    teacher_ckpt='work_dirs/lnet_r18_tinyin200_lab/epoch_100.pth',
    student_feat_dim=512,
    teacher_feat_dim=512,
    terms=('ccd', ),
    calculate_student_loss=False,
    data_preprocessor=dict(
        type='MultiViewClsDataPreprocessor',
        num_views=2,
        mean=None,
        std=None,
        to_rgb=False))

# STL10 hands out RGB uint8 96x96 images; Lab comes after the spatial
# augmentations, in every view.
view_pipeline = [
    dict(type='RandomResizedCrop', scale=64, crop_ratio_range=(0.2, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RGBToLab', channel_order='rgb'),
]
train_pipeline = [
    dict(type='DualView', transforms=view_pipeline, num_views=2),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    dataset=dict(
        type='STL10',
        data_root='data/stl10',
        split='unlabeled',
        pipeline=train_pipeline))
