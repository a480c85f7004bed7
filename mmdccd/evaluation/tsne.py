"""A small exact t-SNE (van der Maaten and Hinton, JMLR 2008) in torch.

Used for the t-SNE of channel features (paper fig. 8a) without scikit-learn.
Exact (no Barnes-Hut): O(M^2) memory and time a step, meant for up to a few
thousand points (channels).
"""
import math
from typing import Optional

import torch
from torch import Tensor


def conditional_probabilities(sq_dist: Tensor,
                              perplexity: float,
                              tol: float = 1e-5,
                              max_iter: int = 100) -> Tensor:
    r"""Row-wise Gaussian affinities with a given perplexity.

    For every point ``i`` a bisection on the precision
    :math:`\beta_i = 1 / (2 \sigma_i^2)` finds
    :math:`p_{j|i} \propto \exp(-\beta_i d_{ij}^2)` (``p_{i|i} = 0``) whose
    entropy :math:`H_i = -\sum_j p_{j|i} \ln p_{j|i}` equals
    :math:`\ln(\mathrm{perplexity})`. All rows are searched at once.

    Args:
        sq_dist (Tensor): Squared distances, shape ``(M, M)``.
        perplexity (float): Target perplexity, ``1 < perplexity < M``.
        tol (float): Tolerance on the entropy (nats). Defaults to 1e-5.
        max_iter (int): Bisection steps. Defaults to 100.

    Returns:
        Tensor: ``P`` of shape ``(M, M)``, row ``i`` is :math:`p_{\cdot|i}`.
    """
    m = sq_dist.shape[0]
    if not 1.0 < perplexity < m:
        raise ValueError(f'perplexity must be in (1, M={m}) for {m} points, '
                         f'got {perplexity}; lower it.')
    d = sq_dist.double()
    off = ~torch.eye(m, dtype=torch.bool, device=d.device)
    target = math.log(perplexity)
    lo = torch.zeros(m, dtype=torch.float64, device=d.device)
    hi = torch.full_like(lo, float('inf'))
    beta = torch.ones_like(lo)
    for _ in range(max_iter):
        # subtract each row's smallest off-diagonal distance for stability
        shifted = d - torch.where(off, d, torch.full_like(d, float('inf'))
                                  ).min(dim=1, keepdim=True).values
        logits = torch.where(off, -beta[:, None] * shifted,
                             torch.full_like(d, -float('inf')))
        p = torch.softmax(logits, dim=1)
        entropy = -(p * torch.log(p.clamp_min(1e-300))).sum(dim=1)
        diff = entropy - target
        if diff.abs().max() < tol:
            break
        too_flat = diff > 0  # entropy too high -> sharpen (raise beta)
        lo = torch.where(too_flat, beta, lo)
        hi = torch.where(too_flat, hi, beta)
        beta = torch.where(
            torch.isinf(hi), beta * 2, (lo + hi) / 2)
    return p


def tsne(x: Tensor,
         dim: int = 2,
         perplexity: float = 30.0,
         num_iters: int = 1000,
         learning_rate: Optional[float] = None,
         exaggeration: float = 12.0,
         exaggeration_iters: int = 250,
         seed: int = 0) -> Tensor:
    r"""Embed points with exact t-SNE.

    Joint affinities :math:`p_{ij} = (p_{j|i} + p_{i|j}) / 2M`; Student-t
    low-dimensional affinities :math:`q_{ij} \propto (1 + \|y_i - y_j\|^2)
    ^{-1}`; gradient descent on :math:`KL(P \| Q)` with gradient
    :math:`4 \sum_j (p_{ij} - q_{ij})(y_i - y_j)(1 + \|y_i - y_j\|^2)^{-1}`,
    momentum 0.5 then 0.8, early exaggeration of ``P`` and the
    delta-bar-delta gains of the reference implementation.

    Args:
        x (Tensor): Points, shape ``(M, D)``.
        dim (int): Embedding dimension. Defaults to 2.
        perplexity (float): Defaults to 30, capped at ``(M - 1) / 3``.
        num_iters (int): Gradient steps. Defaults to 1000.
        learning_rate (float, optional): Step size. Defaults to None:
            ``max(M / (4 * exaggeration), 10)`` (the "auto" rule of
            Belkina et al. 2019, with a lower floor for small ``M``).
        exaggeration (float): Early exaggeration factor. Defaults to 12.
        exaggeration_iters (int): Steps with exaggeration. Defaults to 250.
        seed (int): Seed of the initial embedding. Defaults to 0.

    Returns:
        Tensor: The embedding, shape ``(M, dim)``, float64.
    """
    if x.dim() != 2 or x.shape[0] < 4:
        raise ValueError('tsne needs a 2-D tensor of at least 4 points, got '
                         f'shape {tuple(x.shape)}.')
    x = x.double()
    m = x.shape[0]
    perplexity = min(perplexity, (m - 1) / 3.0)
    if learning_rate is None:
        learning_rate = max(m / (4.0 * exaggeration), 10.0)
    p = conditional_probabilities(torch.cdist(x, x).pow(2), perplexity)
    p = ((p + p.t()) / (2 * m)).clamp_min(1e-12)
    gen = torch.Generator().manual_seed(seed)
    y = 1e-4 * torch.randn(m, dim, generator=gen, dtype=torch.float64)
    velocity = torch.zeros_like(y)
    gains = torch.ones_like(y)
    eye = torch.eye(m, dtype=torch.bool)
    for it in range(num_iters):
        p_it = p * exaggeration if it < exaggeration_iters else p
        num = 1.0 / (1.0 + torch.cdist(y, y).pow(2))
        num = num.masked_fill(eye, 0.0)
        q = (num / num.sum()).clamp_min(1e-12)
        w = (p_it - q) * num
        grad = 4.0 * (w.sum(dim=1, keepdim=True) * y - w @ y)
        momentum = 0.5 if it < exaggeration_iters else 0.8
        same_sign = (grad > 0) == (velocity > 0)
        gains = torch.where(same_sign, gains * 0.8, gains + 0.2).clamp_min(
            0.01)
        velocity = momentum * velocity - learning_rate * gains * grad
        y = y + velocity
        y = y - y.mean(dim=0)
    return y
