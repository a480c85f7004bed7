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
# The recipe is the CCD student's (_base_/stl10_unlabeled_distill.py), so
# only the objective differs. The probes
# probe_crd_abnet_stage{1,2,3,4}_stl10_lab.py read its checkpoint.
_base_ = ['../_base_/models/crd.py', './_base_/stl10_unlabeled_distill.py']

num_images = 100000  # STL-10 unlabeled_X.bin
neg_num = 16384
model = dict(
    type='FrozenTeacherDistill',  # no labels needed (mmdccd)
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
# STL10 hands out RGB uint8 96x96 images; Lab comes after the crop.
train_pipeline = [
    dict(type='RandomResizedCrop', scale=64, crop_ratio_range=(0.2, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RGBToLab', channel_order='rgb'),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    dataset=dict(
        type='CRDSampleDataset',
        neg_num=neg_num,
        sample_mode='instance',
        dataset=dict(
            type='STL10',
            data_root='data/stl10',
            split='unlabeled',
            pipeline=train_pipeline)))
