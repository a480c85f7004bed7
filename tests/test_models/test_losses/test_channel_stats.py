"""standardize_channels / channel_correlation against naive loops."""
import math

import pytest
import torch

from mmdccd.models.losses.channel_stats import (channel_correlation,
                                                standardize_channels)


def naive_standardize(rows, eps):
    n, c = len(rows), len(rows[0])
    out = [[0.0] * c for _ in range(n)]
    for j in range(c):
        col = [r[j] for r in rows]
        mean = sum(col) / n
        var = sum((v - mean)**2 for v in col) / n
        for i in range(n):
            out[i][j] = (rows[i][j] - mean) / math.sqrt(var + eps)
    return out


def test_standardize_matches_naive():
    torch.manual_seed(0)
    x = torch.randn(5, 3, dtype=torch.float64) * 4 + 2
    torch.testing.assert_close(
        standardize_channels(x, eps=0.1),
        torch.tensor(naive_standardize(x.tolist(), 0.1), dtype=x.dtype))
    # leading dims are independent batches
    xb = torch.randn(2, 5, 3, dtype=torch.float64)
    for k in range(2):
        torch.testing.assert_close(
            standardize_channels(xb)[k],
            torch.tensor(naive_standardize(xb[k].tolist(), 1e-5),
                         dtype=xb.dtype))


def test_correlation_of_standardized_is_pearson():
    torch.manual_seed(1)
    a = torch.randn(50, 3, dtype=torch.float64)
    b = torch.randn(50, 4, dtype=torch.float64)
    corr = channel_correlation(
        standardize_channels(a, eps=0), standardize_channels(b, eps=0))
    assert corr.shape == (3, 4)
    for i in range(3):
        for j in range(4):
            pearson = torch.corrcoef(torch.stack([a[:, i], b[:, j]]))[0, 1]
            assert corr[i, j].item() == pytest.approx(pearson.item(),
                                                      rel=1e-10)
    # by hand: sum_n a_ni b_nj / n
    x = torch.tensor([[1., 2.], [3., -1.]])
    assert channel_correlation(x, x).tolist() == [[5.0, -0.5], [-0.5, 2.5]]
