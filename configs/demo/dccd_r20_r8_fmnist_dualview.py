# The demo's DCCD run (dccd_r20_r8_fmnist.py) with both views made per sample
# in the pipeline (DualView: crop 28 with 2 zero-padded pixels + flip, twice)
# instead of drawn in the data preprocessor: the same distribution of views
# (docs/benchmarks.md compares their run times).
_base_ = ['./dccd_r20_r8_fmnist.py']

model = dict(data_preprocessor=dict(batch_views=None))
train_dataloader = dict(
    dataset=dict(pipeline=[
        dict(
            type='DualView',
            transforms=[
                dict(type='RandomCrop', crop_size=28, padding=2),
                dict(type='RandomFlip', prob=0.5, direction='horizontal'),
            ]),
        dict(type='PackInputs'),
    ]))
