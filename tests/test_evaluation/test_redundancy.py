"""Redundancy measures (figs. 1 and 8b) against naive computations."""
import math

import numpy as np
import pytest
import torch

from mmdccd.evaluation import (channel_correlation_matrix, channel_points,
                               channel_redundancy, cosine_similarity_matrix,
                               geometric_median,
                               mean_distance_to_geometric_median,
                               plot_channel_correlation)


def test_geometric_median_regular_polygon_is_centre():
    # the vertices of a regular pentagon around (3, -1): median = centre
    angles = [2 * math.pi * k / 5 for k in range(5)]
    points = torch.tensor([[3 + 2 * math.cos(a), -1 + 2 * math.sin(a)]
                           for a in angles])
    assert torch.allclose(
        geometric_median(points), torch.tensor([3., -1.]).double(),
        atol=1e-6)
    # every vertex is 2 away from the centre
    assert mean_distance_to_geometric_median(points) == pytest.approx(
        2.0, abs=1e-6)


def test_geometric_median_point_inside_triangle():
    # 4 points, (0.5, 0.5) inside the triangle of the others: it is the
    # median, and the distances are |(0.5,0.5)|, |(1.5,-0.5)| (twice), 0
    points = torch.tensor([[0., 0.], [2., 0.], [0., 2.], [0.5, 0.5]])
    assert torch.allclose(
        geometric_median(points), torch.tensor([0.5, 0.5]).double(),
        atol=1e-6)
    expected = (math.sqrt(0.5) + 2 * math.sqrt(2.5) + 0) / 4
    assert mean_distance_to_geometric_median(points) == pytest.approx(
        expected, abs=1e-6)


def test_geometric_median_matches_brute_force_grid():
    rng = np.random.default_rng(0)
    points = rng.normal(size=(7, 2)) * [2.0, 0.5] + [1.0, -2.0]
    # naive: minimise the summed distance over a fine grid, then refine
    step = 0.01
    xs = np.arange(points[:, 0].min(), points[:, 0].max(), step)
    ys = np.arange(points[:, 1].min(), points[:, 1].max(), step)
    gx, gy = np.meshgrid(xs, ys, indexing='ij')
    grid = np.stack([gx.ravel(), gy.ravel()], 1)
    total = np.linalg.norm(grid[:, None] - points[None], axis=2).sum(1)
    best = grid[total.argmin()]
    ours = geometric_median(torch.from_numpy(points)).numpy()
    assert np.abs(ours - best).max() <= 2 * step
    ours_total = np.linalg.norm(points - ours, axis=1).sum()
    assert ours_total <= total.min() + 1e-9
    naive_mean = np.mean([np.linalg.norm(p - ours) for p in points])
    assert mean_distance_to_geometric_median(
        torch.from_numpy(points)) == pytest.approx(naive_mean, rel=1e-9)


def test_channel_points_distance_is_correlation():
    rng = np.random.default_rng(1)
    feats = rng.normal(size=(50, 6))
    feats[:, 1] = 0.8 * feats[:, 0] + 0.2 * feats[:, 1]
    points = channel_points(torch.from_numpy(feats), eps=0.0).numpy()
    rho = np.corrcoef(feats.T)
    sq = ((points[:, None] - points[None]) ** 2).sum(-1)
    np.testing.assert_allclose(sq, 2 * (1 - rho), atol=1e-9)
    np.testing.assert_allclose(np.linalg.norm(points, axis=1), 1, atol=1e-9)


def test_cosine_similarity_matrix_naive():
    feats = torch.tensor([[1., 0., 0.], [1., 1., 0.], [0., 0., 3.]])
    expected = torch.tensor([[1., 1 / math.sqrt(2), 0.],
                             [1 / math.sqrt(2), 1., 0.], [0., 0., 1.]])
    assert torch.allclose(cosine_similarity_matrix(feats), expected)


def test_redundant_channels_lie_closer_to_their_median():
    rng = np.random.default_rng(2)
    base = rng.normal(size=(200, 1))
    redundant = base + 0.1 * rng.normal(size=(200, 8))  # 8 near-copies
    diverse = rng.normal(size=(200, 8))
    r = channel_redundancy(torch.from_numpy(redundant).float())
    d = channel_redundancy(torch.from_numpy(diverse).float())
    assert r['mean_dist_to_gm'] < 0.3 < 0.9 < d['mean_dist_to_gm']
    assert r['mean_abs_channel_corr'] > 0.9 > 0.2 > d['mean_abs_channel_corr']


def test_errors_name_the_shape():
    with pytest.raises(ValueError, match=r'\(3,\)'):
        geometric_median(torch.zeros(3))
    with pytest.raises(ValueError, match='N=1'):
        channel_points(torch.zeros(1, 4))


def test_channel_correlation_matrix_is_numpy_corrcoef():
    g = torch.Generator().manual_seed(0)
    feats = torch.randn(200, 6, generator=g, dtype=torch.float64)
    feats[:, 3] = 2 * feats[:, 0] + 1  # a redundant copy of channel 0
    corr = channel_correlation_matrix(feats)
    expected = np.corrcoef(feats.numpy(), rowvar=False)
    # (channel_points adds eps = 1e-5 to the variance)
    np.testing.assert_allclose(corr.numpy(), expected, atol=2e-5)
    assert corr[0, 3] == pytest.approx(1.0, abs=2e-5)
    # the demo's number: the mean |rho| over the 30 off-diagonal pairs
    off = np.abs(expected[~np.eye(6, dtype=bool)]).mean()
    assert channel_redundancy(feats)['mean_abs_channel_corr'] == \
        pytest.approx(off, abs=1e-5)


def test_plot_channel_correlation_writes_one_panel_a_network(tmp_path):
    feats = torch.randn(50, 8)
    path = plot_channel_correlation([('a', feats), ('b', feats * 2)],
                                    str(tmp_path / 'corr.png'))
    import matplotlib.image
    img = matplotlib.image.imread(path)
    assert img.shape[1] > img.shape[0]  # two panels side by side
