# Table VI "randerasing" (Zhong et al.): probability 0.5, area 2-40%, aspect
# 0.3-3.3, random pixel values drawn around the CIFAR-100 mean/std. Written
# once for the single-view (cifar100_bs64_randerasing.py) and the two-view
# (cifar100_bs64_dualview_randerasing.py) bases, which list it as
# {{_base_.random_erasing}} after crop + flip.
random_erasing = dict(
    type='RandomErasing',
    erase_prob=0.5,
    min_area_ratio=0.02,
    max_area_ratio=0.4,
    aspect_range=(0.3, 1 / 0.3),
    mode='rand',
    fill_color=[129.3105, 124.1085, 112.404],
    fill_std=[68.2125, 65.4075, 70.4055])
