"""CRDSampleDataset: per-sample index and label-aware negatives as tensor
data fields of mmpretrain's DataSample, accepted by mmrazor's CRDLoss."""
import numpy as np
import pytest
import torch

from tests.test_configs.config_utils import write_tiny_cifar100


@pytest.fixture(scope='module')
def cifar_root(tmp_path_factory):
    # 8 train images with labels 0, 1, 2, 3, 0, 1, 2, 3
    return write_tiny_cifar100(str(tmp_path_factory.mktemp('crd_cifar')))


def _dataset(root, neg_num=5, **kwargs):
    import mmdccd  # noqa: F401
    from mmdccd.datasets.crd_sample import CRDSampleDataset
    return CRDSampleDataset(
        dict(
            type='LocalCIFAR100',
            data_root=root,
            split='train',
            verify_md5=False,
            pipeline=[dict(type='PackInputs')]),
        neg_num=neg_num,
        **kwargs)


def test_indices_and_negatives(cifar_root):
    np.random.seed(0)
    dataset = _dataset(cifar_root, neg_num=5)
    assert len(dataset) == 8
    labels = np.arange(8) % 4
    for idx in range(8):
        sample = dataset[idx]['data_samples']
        assert sample.sample_idx.dtype == torch.long
        assert int(sample.sample_idx) == idx
        assert 'sample_idx' not in sample.metainfo_keys()
        contrast = sample.contrast_sample_idxs
        assert contrast.shape == (6, ) and contrast.dtype == torch.long
        assert int(contrast[0]) == idx  # mode 'exact': the positive is idx
        negatives = contrast[1:].numpy()
        # negatives come only from the other classes: 6 candidates, 5 drawn
        # without replacement
        assert (labels[negatives] != labels[idx]).all()
        assert len(set(negatives.tolist())) == 5


def test_more_negatives_than_candidates_and_cuda_free_batching(cifar_root):
    from mmengine.dataset import pseudo_collate
    from mmpretrain.models.utils import ClsDataPreprocessor
    np.random.seed(0)
    dataset = _dataset(cifar_root, neg_num=10)  # 6 candidates: replacement
    batch = ClsDataPreprocessor()(pseudo_collate([dataset[0], dataset[5]]))
    samples = batch['data_samples']
    assert torch.stack([s.sample_idx for s in samples]).tolist() == [0, 5]
    contrast = torch.stack([s.contrast_sample_idxs for s in samples])
    assert contrast.shape == (2, 11)
    assert set(contrast[0, 1:].tolist()) <= {1, 2, 3, 5, 6, 7}
    assert set(contrast[1, 1:].tolist()) <= {0, 2, 3, 4, 6, 7}


def test_mmrazor_crd_loss_reads_the_indices(cifar_root):
    """mmrazor's CRDLoss updates exactly the memory rows of the batch."""
    import mmdccd  # noqa: F401
    from mmengine.dataset import pseudo_collate
    from mmrazor.models.losses import CRDLoss
    np.random.seed(0)
    torch.manual_seed(0)
    dataset = _dataset(cifar_root, neg_num=4)
    samples = pseudo_collate([dataset[2], dataset[7]])['data_samples']
    loss = CRDLoss(neg_num=4, sample_n=8, dim_out=3)
    before = loss.contrast.memory_v1.clone()
    feats = torch.nn.functional.normalize(torch.randn(2, 3), dim=1)
    value = loss(feats, feats.flip(0), samples)
    assert torch.isfinite(value).all()
    changed = (loss.contrast.memory_v1 != before).any(dim=1)
    assert changed.nonzero().flatten().tolist() == [2, 7]


def test_errors(cifar_root):
    with pytest.raises(ValueError, match='sample_mode'):
        _dataset(cifar_root, sample_mode='relax')


def test_instance_mode_needs_no_labels(tmp_path):
    """Unlabelled STL-10 (gt_label -1 everywhere): mode 'instance' draws the
    negatives of image i uniformly from the other images."""
    import mmdccd  # noqa: F401
    from mmdccd.datasets.crd_sample import CRDSampleDataset
    from tests.test_datasets.writers import write_stl10
    images = np.zeros((5, 96, 96, 3), dtype=np.uint8)
    root = write_stl10(str(tmp_path), splits=dict(unlabeled=images),
                       labels={})
    stl10 = dict(type='STL10', data_root=root, split='unlabeled',
                 pipeline=[dict(type='PackInputs')])
    with pytest.raises(ValueError, match="use sample_mode='instance'"):
        CRDSampleDataset(stl10, neg_num=3)  # label-aware needs labels
    np.random.seed(0)
    dataset = CRDSampleDataset(stl10, neg_num=400, sample_mode='instance')
    for idx in range(5):
        sample = dataset[idx]['data_samples']
        assert int(sample.sample_idx) == idx
        assert int(sample.gt_label) == -1
        contrast = sample.contrast_sample_idxs.numpy()
        assert contrast.shape == (401, ) and contrast[0] == idx
        negatives = contrast[1:]
        # never the image itself, every other image, about equally often
        # (100 expected each; binomial sd 8.7)
        counts = np.bincount(negatives, minlength=5)
        assert counts[idx] == 0
        others = np.delete(counts, idx)
        assert others.sum() == 400 and (abs(others - 100) < 40).all()


def test_instance_mode_needs_two_images(tmp_path):
    import mmdccd  # noqa: F401
    from mmdccd.datasets.crd_sample import CRDSampleDataset
    from tests.test_datasets.writers import write_stl10
    root = write_stl10(
        str(tmp_path),
        splits=dict(unlabeled=np.zeros((1, 96, 96, 3), dtype=np.uint8)),
        labels={})
    with pytest.raises(ValueError, match='has 1'):
        CRDSampleDataset(
            dict(type='STL10', data_root=root, split='unlabeled',
                 pipeline=[dict(type='PackInputs')]),
            neg_num=3,
            sample_mode='instance')
