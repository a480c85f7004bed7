# CIFAR-100 for CRD: the single-view training set wrapped in CRDSampleDataset,
# which gives every sample its index (row of CRD's memory banks) and 16384
# negatives drawn from the other classes (RepDistiller's mode 'exact').
_base_ = './cifar100_bs64.py'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='CRDSampleDataset',
        neg_num=16384,
        sample_mode='exact',
        dataset=dict(
            type='LocalCIFAR100',
            data_root='data/cifar100',
            split='train',
            verify_md5=True,
            pipeline={{_base_.train_pipeline}})))
