# Table VI "mixup" on two views: the same mixing weight and partner for both
# views of an image (MultiViewClsDataPreprocessor), so the views stay two
# augmentations of one mixed image.
_base_ = './cifar100_bs64_dualview.py'

data_preprocessor = dict(batch_augments=dict(augments=dict(
    type='Mixup', alpha=1.0)))
