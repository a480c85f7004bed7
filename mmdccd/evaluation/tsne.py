"""t-SNE of a network's channels (paper fig. 8a), by scikit-learn.

The embedding itself is scikit-learn's :class:`sklearn.manifold.TSNE` (van
der Maaten and Hinton, JMLR 2008), with its defaults (Barnes-Hut gradients,
PCA initialisation, the "auto" learning rate). What mmdccd adds is what the
points are: each channel is one point, its standardised responses over N
images (:func:`~mmdccd.evaluation.channel_points`), so channels that respond
alike (redundant ones) land together. Needs the ``analysis`` extra:
``pip install 'mmdccd[analysis]'``.
"""
import importlib
from typing import Any

import torch
from torch import Tensor

from .redundancy import channel_points


def _sklearn_tsne() -> Any:
    """scikit-learn's ``TSNE`` class, or an ImportError naming the extra."""
    try:
        return importlib.import_module('sklearn.manifold').TSNE
    except ImportError as exc:
        raise ImportError(
            'the t-SNE of channels needs scikit-learn, which is not '
            "installed; install it with `pip install 'mmdccd[analysis]'` "
            '(or `pip install scikit-learn`).') from exc


def tsne(x: Tensor,
         dim: int = 2,
         perplexity: float = 30.0,
         num_iters: int = 1000,
         seed: int = 0) -> Tensor:
    """Embed points with scikit-learn's t-SNE.

    Args:
        x (Tensor): Points, shape ``(M, D)``, ``M >= 4``.
        dim (int): Embedding dimension. Defaults to 2.
        perplexity (float): Defaults to 30, capped at ``(M - 1) / 3`` so
            that few points (a 16-channel network) still embed.
        num_iters (int): Optimisation steps (scikit-learn's ``max_iter``,
            at least 250). Defaults to 1000.
        seed (int): ``random_state`` of the embedding. Defaults to 0.

    Returns:
        Tensor: The embedding, shape ``(M, dim)``, float64.
    """
    if x.dim() != 2 or x.shape[0] < 4:
        raise ValueError('tsne needs a 2-D tensor of at least 4 points, got '
                         f'shape {tuple(x.shape)}.')
    perplexity = min(perplexity, (x.shape[0] - 1) / 3.0)
    embedding = _sklearn_tsne()(
        n_components=dim,
        perplexity=perplexity,
        max_iter=num_iters,
        random_state=seed).fit_transform(x.detach().cpu().double().numpy())
    return torch.from_numpy(embedding).double()


def tsne_channels(features: Tensor, **kwargs) -> Tensor:
    """The channels of pooled features as t-SNE points (fig. 8a).

    Args:
        features (Tensor): Pooled features, shape ``(N, C)``: N images, C
            channels.
        **kwargs: Passed to :func:`tsne` (``perplexity``, ``num_iters``,
            ``seed``).

    Returns:
        Tensor: Shape ``(C, 2)``, one row a channel.
    """
    return tsne(channel_points(features), **kwargs)
