"""The t-SNE of channels (fig. 8a): each channel a point, redundant channels
together; the embedding is scikit-learn's, called as scikit-learn documents
it."""
import importlib

import numpy as np
import pytest
import torch

from mmdccd.evaluation import channel_points, tsne, tsne_channels


def redundant_features(groups=3, copies=8, images=200, seed=0):
    """``groups`` independent responses, each repeated ``copies`` times with
    another scale, offset and a little noise: channels of one group are
    redundant copies of each other."""
    gen = torch.Generator().manual_seed(seed)
    sources = torch.randn(images, groups, generator=gen)
    columns, labels = [], []
    for g in range(groups):
        for _ in range(copies):
            scale = 0.5 + 2 * torch.rand(1, generator=gen)
            offset = torch.randn(1, generator=gen)
            noise = 0.05 * torch.randn(images, generator=gen)
            columns.append(scale * sources[:, g] + offset + noise)
            labels.append(g)
    return torch.stack(columns, dim=1), torch.tensor(labels)


def test_redundant_channels_land_together():
    features, labels = redundant_features()
    emb = tsne_channels(features, num_iters=500)
    assert emb.shape == (24, 2) and emb.dtype == torch.float64
    # every channel's nearest neighbour is a copy of the same response
    d = torch.cdist(emb, emb) + torch.eye(24) * 1e9
    assert torch.equal(labels[d.argmin(1)], labels)
    centres = torch.stack([emb[labels == g].mean(0) for g in range(3)])
    spread = max(emb[labels == g].std(0).norm() for g in range(3))
    gaps = torch.pdist(centres)
    assert gaps.min() > 2 * spread


def test_is_scikit_learns_tsne_of_the_channel_points():
    from sklearn.manifold import TSNE
    features, _ = redundant_features(images=60, seed=1)
    points = channel_points(features).double().numpy()
    # 24 points: perplexity capped at (24 - 1) / 3
    expected = TSNE(
        n_components=2, perplexity=23 / 3, max_iter=300,
        random_state=5).fit_transform(points)
    emb = tsne_channels(features, num_iters=300, seed=5)
    np.testing.assert_allclose(emb.numpy(), expected, rtol=1e-6, atol=1e-6)


def test_too_few_points_is_a_clear_error():
    with pytest.raises(ValueError, match=r'at least 4 points, got shape '
                       r'\(3, 5\)'):
        tsne(torch.zeros(3, 5))


def test_missing_scikit_learn_names_the_extra(monkeypatch):
    real = importlib.import_module

    def without_sklearn(name, *args):
        if name.startswith('sklearn'):
            raise ImportError(f'No module named {name!r}')
        return real(name, *args)

    monkeypatch.setattr(importlib, 'import_module', without_sklearn)
    with pytest.raises(ImportError, match=r"pip install 'mmdccd\[analysis\]'"):
        tsne(torch.randn(10, 3))
