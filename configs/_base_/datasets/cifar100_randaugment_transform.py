# Table VI "randaugment" (Cubuk et al.): mmpretrain's RandAugment (two timm
# policies a image, magnitude 9 of 10, std 0.5); pad value the CIFAR-100
# mean. Written once for the single-view (cifar100_bs64_randaugment.py) and
# the two-view (cifar100_bs64_dualview_randaugment.py) bases, which list it
# as {{_base_.rand_augment}} after crop + flip.
rand_augment = dict(
    type='RandAugment',
    policies='timm_increasing',
    num_policies=2,
    total_level=10,
    magnitude_level=9,
    magnitude_std=0.5,
    hparams=dict(pad_val=[129, 124, 112]))
