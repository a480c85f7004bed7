# DCCD, ResNet-34 -> ResNet-18 on ImageNet-1k (paper Table II: 28.16% top-1
# error). 100 epochs, lr 0.1 / 10 at 30, 60, 90, 8 GPUs x 32 images (two views
# each), wd 1e-4; beta = 25.6 / 512 = 0.05.
#   tools/dist_train.sh configs/dccd/r34_r18_in1k.py 8
_base_ = [
    '../_base_/models/dccd.py',
    '../_base_/models/imagenet_resnet.py',
    '../_base_/datasets/imagenet_bs32_dualview.py',
    'mmpretrain::_base_/schedules/imagenet_bs256.py',
    '../_base_/default_runtime.py',
]

model = dict(
    architecture={{_base_.resnet18}},
    teacher={{_base_.resnet34}},
    teacher_ckpt={{_base_.resnet34_ckpt}},
    student_feat_dim=512,
    teacher_feat_dim=512,
    # CCD over the global batch of 256 images (gathered across the GPUs):
    # per GPU it would see 32 rows against d = 512 channels (rank <= 31) and
    # change with the GPU count. See configs/dccd/README.md.
    gather_distributed=True)
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
