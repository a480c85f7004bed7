# CIFAR-10 (mmpretrain's python-pickle format, ``cifar-10-batches-py/``
# under data/cifar10/) with the same pipeline as the CIFAR-100 benchmark:
# random crop 32 with 4 zero-padded pixels + horizontal flip, batch 64;
# validation and test on the 10,000-image test split. mmpretrain's CIFAR-10
# normalisation constants on the 0-255 scale; images are RGB (to_rgb=False).
_base_ = './cifar100_bs64.py'

dataset_type = 'LocalCIFAR10'
data_root = 'data/cifar10'
data_preprocessor = dict(
    num_classes=10,
    mean=[125.307, 122.961, 113.8575],
    std=[51.5865, 50.847, 51.255])

train_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = val_dataloader
