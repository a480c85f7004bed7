"""The exact t-SNE: affinities hit the perplexity, clusters stay apart."""
import math

import torch

from mmdccd.evaluation import conditional_probabilities, tsne


def test_conditional_probabilities_reach_perplexity():
    x = torch.randn(40, 5, generator=torch.Generator().manual_seed(0))
    p = conditional_probabilities(torch.cdist(x, x).pow(2), perplexity=8.0)
    assert torch.allclose(p.sum(1), torch.ones(40).double())
    assert torch.all(p.diagonal() == 0)
    entropy = -(p * torch.log(p.clamp_min(1e-300))).sum(1)
    assert torch.allclose(entropy.exp(), torch.full((40, ), 8.0).double(),
                          rtol=1e-3)
    # a point's nearest neighbour gets its largest affinity
    d = torch.cdist(x, x) + torch.eye(40) * 1e9
    assert torch.equal(p.argmax(1), d.argmin(1))


def test_tsne_separates_clusters():
    gen = torch.Generator().manual_seed(0)
    a = torch.randn(20, 10, generator=gen)
    b = torch.randn(20, 10, generator=gen) + 8.0
    y = tsne(torch.cat([a, b]), perplexity=5.0, num_iters=500)
    assert y.shape == (40, 2)
    labels = torch.tensor([0] * 20 + [1] * 20)
    d = torch.cdist(y, y) + torch.eye(40) * 1e9
    assert torch.equal(labels[d.argmin(1)], labels)  # 1-NN purity 100 %
    gap = (y[:20].mean(0) - y[20:].mean(0)).norm()
    spread = max(y[:20].std(0).norm(), y[20:].std(0).norm())
    assert gap > 2 * spread
    assert not math.isnan(float(y.sum()))
