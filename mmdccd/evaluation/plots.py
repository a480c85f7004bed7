"""Pictures of the redundancy analysis shared by the demo and the study."""
from typing import Sequence, Tuple

import torch
from torch import Tensor

from .redundancy import channel_correlation_matrix


def plot_channel_correlation(panels: Sequence[Tuple[str, Tensor]],
                             path: str) -> str:
    """``|rho|`` of every pair of channels, one panel a network.

    Our picture of channel redundancy (the paper has no such figure): the
    brighter the off-diagonal, the more the channels repeat each other.
    Each panel's title gives the mean off-diagonal ``|rho|``.

    Args:
        panels (Sequence[tuple[str, Tensor]]): ``(title, features)`` with
            pooled features of shape ``(N, C)``.
        path (str): The PNG to write.

    Returns:
        str: ``path``.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        1, len(panels), figsize=(3.8 * len(panels), 3.6), squeeze=False)
    for ax, (title, features) in zip(axes[0], panels):
        corr = channel_correlation_matrix(features.float()).abs()
        off = corr[~torch.eye(len(corr), dtype=torch.bool)].mean()
        im = ax.imshow(corr.numpy(), vmin=0, vmax=1, cmap='magma')
        ax.set_title(f'{title}\nmean |rho| off-diagonal {off:.3f}',
                     fontsize=9)
        ax.set_xlabel('channel')
    fig.colorbar(im, ax=axes.ravel().tolist(), label='|rho|')
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path
