# Demo DCCD (paper eq. 14: CE + alpha (KD + DKD) + beta CCD, alpha = 1,
# theta = 2, tau = 4), teacher resnet20 -> student resnet8. beta = 0.025, the
# best of four values on the held-out val split
# (tools/analysis_tools/demo_sweep.py, docs/demo.md): the paper's
# 25.6 / 64 = 0.4 lets CCD dominate this short budget (val 84.08 % vs 88.72).
# 128 images x 2 views = 256 rows an iteration: the same images and
# iterations as the CE and KD runs (the paper's protocol). Both views' crop 28
# (2 zero-padded pixels) + flip are drawn in the data preprocessor, for the
# whole batch at once; dccd_r20_r8_fmnist_dualview.py makes them per sample
# in the pipeline instead (the same distribution; docs/benchmarks.md).
# tools/demo.py sets teacher_ckpt.
_base_ = [
    './_base_/fashion_mnist.py', './_base_/schedule.py',
    './_base_/networks.py'
]

model = dict(
    _scope_='mmrazor',
    type='DCCD',
    data_preprocessor=dict(
        type='MultiViewClsDataPreprocessor',
        num_views=2,
        batch_views=dict(crop_size=28, padding=2, prob=0.5),
        num_classes=10,
        mean=[72.94],
        std=[90.02]),
    architecture={{_base_.student}},
    teacher={{_base_.teacher}},
    teacher_ckpt=None,
    student_feat_dim=64,
    teacher_feat_dim=64,
    alpha=1.0,
    beta=0.025,
    theta=2.0,
    tau=4.0,
    connector=dict(type='MLPConnector', num_layers=2))

train_dataloader = dict(
    batch_size=128, dataset=dict(pipeline=[dict(type='PackInputs')]))
