"""Channel redundancy measures of the paper's analyses (figs. 1 and 8b).

Features are the pooled penultimate features ``f`` of a classifier on ``N``
images, an ``N x C`` matrix (one row an image, one column a channel).

- Fig. 1, instance similarity: the ``N x N`` cosine similarity of the rows.
- Fig. 8b, channel redundancy: every channel is a point, its response vector
  over the ``N`` images (a column of ``f``). Channels that respond alike are
  redundant; following FPGM (He et al., CVPR 2019), the channels closest to
  the points' geometric median are the most replaceable, so the mean distance
  of the channels from their geometric median measures how diverse (less
  redundant) the channels are: larger is less redundant.

Standardisation (:func:`channel_points`): each channel's responses are
centred and divided by ``sqrt(N * (var + eps))`` (biased variance), so every
non-constant channel is a unit vector and the squared distance of two
channels is ``2 (1 - rho)``, with ``rho`` their Pearson correlation over the
images: the measure depends on how channels co-vary, not on their scale. A
constant (dead) channel becomes the zero vector.
"""
from typing import Dict

import torch
from torch import Tensor


def _check_features(features: Tensor, name: str = 'features') -> None:
    if features.dim() != 2 or min(features.shape) < 1:
        raise ValueError(f'{name} must be a non-empty 2-D tensor (N images x '
                         f'C channels), but got shape '
                         f'{tuple(features.shape)}.')


def cosine_similarity_matrix(features: Tensor, eps: float = 1e-8) -> Tensor:
    """Instance cosine similarity of pooled features (paper fig. 1).

    Args:
        features (Tensor): Pooled features, shape ``(N, C)``.
        eps (float): Floor of the row norms. Defaults to 1e-8.

    Returns:
        Tensor: ``S`` of shape ``(N, N)``, ``S_ij = <f_i, f_j> / (|f_i|
        |f_j|)``.
    """
    _check_features(features)
    unit = features / features.norm(dim=1, keepdim=True).clamp_min(eps)
    return unit @ unit.t()


def channel_points(features: Tensor, eps: float = 1e-5) -> Tensor:
    """Channels as standardised points (see the module docstring).

    Args:
        features (Tensor): Pooled features, shape ``(N, C)``, ``N >= 2``.
        eps (float): Added to the variance. Defaults to 1e-5.

    Returns:
        Tensor: Shape ``(C, N)``; row ``c`` is channel ``c``'s responses,
        centred and divided by ``sqrt(N * (var_c + eps))``.
    """
    _check_features(features)
    n = features.shape[0]
    if n < 2:
        raise ValueError('channel_points needs responses to at least 2 '
                         f'images to standardise, got N={n}.')
    centred = features - features.mean(dim=0, keepdim=True)
    var = centred.pow(2).mean(dim=0, keepdim=True)
    return (centred / (n * (var + eps)).sqrt()).t()


def geometric_median(points: Tensor,
                     max_iter: int = 500,
                     tol: float = 1e-7,
                     eps: float = 1e-12) -> Tensor:
    r"""Geometric median by Weiszfeld's algorithm (vectorised).

    The point :math:`y` minimising :math:`\sum_i \|x_i - y\|_2`, found by the
    fixed-point iteration
    :math:`y \leftarrow \sum_i w_i x_i / \sum_i w_i`,
    :math:`w_i = 1 / \max(\|x_i - y\|, \epsilon)`, from the mean. The floor
    ``eps`` keeps the iteration defined when ``y`` lands on a data point
    (then that point, if it is the median, is a fixed point).

    Args:
        points (Tensor): Shape ``(M, D)``, one point a row.
        max_iter (int): Iteration limit. Defaults to 500.
        tol (float): Stop when ``y`` moves less than ``tol`` times the
            points' scale. Defaults to 1e-7.
        eps (float): Distance floor. Defaults to 1e-12.

    Returns:
        Tensor: The geometric median, shape ``(D, )``, in float64.
    """
    _check_features(points, 'points')
    x = points.double()
    y = x.mean(dim=0)
    scale = (x - y).norm(dim=1).max().clamp_min(1.0)
    for _ in range(max_iter):
        w = 1.0 / (x - y).norm(dim=1).clamp_min(eps)
        y_new = (w[:, None] * x).sum(dim=0) / w.sum()
        moved = (y_new - y).norm()
        y = y_new
        if moved < tol * scale:
            break
    return y


def mean_distance_to_geometric_median(points: Tensor, **kwargs) -> float:
    """Mean Euclidean distance of the points from their geometric median.

    Args:
        points (Tensor): Shape ``(M, D)``.
        **kwargs: Arguments of :func:`geometric_median`.

    Returns:
        float: :math:`\\frac{1}{M} \\sum_i \\|x_i - gm\\|_2`.
    """
    median = geometric_median(points, **kwargs)
    return float((points.double() - median).norm(dim=1).mean())


def channel_correlation_matrix(features: Tensor) -> Tensor:
    """Pearson correlation of every pair of channels over the images.

    Args:
        features (Tensor): Pooled features, shape ``(N, C)``, ``N >= 2``.

    Returns:
        Tensor: ``(C, C)``; entry ``(i, j)`` is ``rho_ij`` of channels ``i``
        and ``j`` (the Gram matrix of :func:`channel_points`; 0 for a dead
        channel).
    """
    points = channel_points(features)
    return points @ points.t()


def channel_redundancy(features: Tensor) -> Dict[str, float]:
    """The numbers of the redundancy analysis of one feature matrix.

    Args:
        features (Tensor): Pooled features, shape ``(N, C)``.

    Returns:
        dict: ``mean_dist_to_gm`` (fig. 8b, standardised channels; larger is
        less redundant), ``mean_abs_channel_corr`` (mean ``|rho|`` over
        channel pairs) and ``mean_instance_cosine`` (mean off-diagonal
        cosine similarity of the images, fig. 1).
    """
    points = channel_points(features.float())
    c = points.shape[0]
    corr = points @ points.t()  # channel_correlation_matrix
    off = ~torch.eye(c, dtype=torch.bool)
    sim = cosine_similarity_matrix(features.float())
    n = sim.shape[0]
    off_n = ~torch.eye(n, dtype=torch.bool)
    return dict(
        mean_dist_to_gm=mean_distance_to_geometric_median(points),
        mean_abs_channel_corr=float(corr[off].abs().mean())
        if c > 1 else 0.0,
        mean_instance_cosine=float(sim[off_n].mean()) if n > 1 else 1.0)
