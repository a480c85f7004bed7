# Table VI "randerasing" (Zhong et al.: probability 0.5, area 2-40%, aspect
# 0.3-3.3, random pixel values drawn around the dataset mean/std) after
# crop + flip. Single view.
_base_ = './cifar100_bs64.py'

train_pipeline = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(
        type='RandomErasing',
        erase_prob=0.5,
        min_area_ratio=0.02,
        max_area_ratio=0.4,
        aspect_range=(0.3, 1 / 0.3),
        mode='rand',
        fill_color=[129.3105, 124.1085, 112.404],
        fill_std=[68.2125, 65.4075, 70.4055]),
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
