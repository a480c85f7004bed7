# CIFAR-100's two views augmented per sample in the pipeline (DualView): each
# image is cropped (32, 4 zero-padded pixels) and flipped twice,
# independently, on the data loader's CPU workers. The same distribution of
# views as cifar100_bs64_batchviews.py draws in the data preprocessor. A
# config that inherits a batch-views pair config and this file sets
#   data_preprocessor = dict(batch_views=None)
#   train_dataloader = dict(
#       dataset=dict(pipeline={{_base_.dualview_train_pipeline}}))
# (names here differ from the dataset bases', so both can be bases.)
dualview_view_pipeline = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
]
dualview_train_pipeline = [
    dict(type='DualView', transforms=dualview_view_pipeline),
    dict(type='PackInputs'),
]
