# The demo's DCCD run (dccd_r20_r8_fmnist.py) with both views' crop 28
# (2 zero-padded pixels) + flip drawn in the data preprocessor on the model's
# device instead of DualView: the same distribution of views, the dataset
# packs each image once (docs/benchmarks.md compares their run times).
_base_ = ['./dccd_r20_r8_fmnist.py']

model = dict(
    data_preprocessor=dict(
        batch_views=dict(crop_size=28, padding=2, prob=0.5)))
train_dataloader = dict(dataset=dict(pipeline=[dict(type='PackInputs')]))
