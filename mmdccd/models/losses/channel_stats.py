"""Channel standardisation and the channel correlation matrix, the shared
math of CCD (DCCD eqs. 3-4) and CCS."""
import torch


def standardize_channels(x: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    r"""Standardise every channel over the rows, DCCD eq. (3).

    .. math::
        \mathrm{Norm}(x) = (x - \mathrm{mean}(x)) / \sqrt{\mathrm{var}(x)
        + \epsilon}

    with the mean and the biased variance over the ``n`` rows (dim -2).

    Args:
        x (torch.Tensor): Shape ``(..., n, C)``: ``n`` rows of ``C``
            channels (leading dims are independent batches).
        eps (float): Added to the variance. Defaults to 1e-5.

    Returns:
        torch.Tensor: The same shape, every channel of zero mean and (up to
        ``eps``) unit variance over the rows.
    """
    mean = x.mean(dim=-2, keepdim=True)
    var = x.var(dim=-2, unbiased=False, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps)


def channel_correlation(z_a: torch.Tensor, z_b: torch.Tensor) -> torch.Tensor:
    r"""The channel correlation matrix :math:`R = z_a^\top z_b / n`, DCCD
    eq. (4).

    Of standardised inputs (:func:`standardize_channels`) this is the Pearson
    correlation of every channel of ``z_a`` with every channel of ``z_b``.

    Args:
        z_a (torch.Tensor): Shape ``(..., n, C_a)``.
        z_b (torch.Tensor): Shape ``(..., n, C_b)``.

    Returns:
        torch.Tensor: Shape ``(..., C_a, C_b)``.
    """
    return z_a.transpose(-2, -1) @ z_b / z_a.shape[-2]
