"""WeightedCRDLoss applies the loss_weight that mmrazor's CRDLoss ignores."""
import torch
from mmpretrain.structures import DataSample
from mmrazor.models.losses import CRDLoss

from mmdccd.models.losses import WeightedCRDLoss


def test_weight_is_applied():
    kwargs = dict(neg_num=4, sample_n=10, dim_out=3, temperature=0.07)
    torch.manual_seed(0)
    plain = CRDLoss(loss_weight=0.8, **kwargs)
    torch.manual_seed(0)
    weighted = WeightedCRDLoss(loss_weight=0.8, **kwargs)
    s = torch.nn.functional.normalize(torch.randn(2, 3), dim=1)
    t = torch.nn.functional.normalize(torch.randn(2, 3), dim=1)
    samples = []
    for i in range(2):
        sample = DataSample()
        sample.sample_idx = torch.tensor(i)
        sample.contrast_sample_idxs = torch.tensor([i, 5, 6, 7, 8])
        samples.append(sample)
    expected = plain(s, t, samples)
    torch.testing.assert_close(weighted(s, t, samples), 0.8 * expected)
