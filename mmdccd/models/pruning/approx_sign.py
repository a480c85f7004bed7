"""The differentiable channel mask of PDD (Cognitive Computation 2024).

PDD ("Pruning Neural Networks During Knowledge Distillation", DOI
10.1007/s12559-024-10350-9) gates every channel of the student with a binary
value computed from one learnable scalar ``m`` per channel:

.. math::
    g(m) = \\frac{\\mathrm{ApproxSign}(m) + 1}{2} \\in \\{0, 1\\}

The forward pass of ApproxSign is the sign function; its backward pass is the
piecewise-polynomial surrogate (the derivative of
``2m + m^2`` on ``(-1, 0)`` and ``2m - m^2`` on ``[0, 1)``):

.. math::
    \\frac{\\partial\\,\\mathrm{ApproxSign}(m)}{\\partial m} =
    \\begin{cases} 2 + 2m & -1 < m < 0 \\\\ 2 - 2m & 0 \\le m < 1 \\\\
    0 & \\text{otherwise} \\end{cases}

so :math:`\\partial g / \\partial m` is half of it. Choice (not in the
abstract): ``sign(0) = +1``, so ``g(m) = 1`` for ``m >= 0`` and a channel is
pruned exactly when ``m < 0``.
"""
import torch
import torch.nn as nn


class ApproxSign(torch.autograd.Function):
    """Sign in the forward pass (``+1`` for ``m >= 0``, ``-1`` for ``m < 0``),
    the piecewise-polynomial surrogate derivative in the backward pass."""

    @staticmethod
    def forward(ctx, m: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(m)
        return torch.where(m >= 0, torch.ones_like(m), -torch.ones_like(m))

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:
        m, = ctx.saved_tensors
        surrogate = torch.where(m < 0, 2 + 2 * m, 2 - 2 * m)
        surrogate = torch.where((m > -1) & (m < 1), surrogate,
                                torch.zeros_like(m))
        return grad * surrogate


def approx_sign_gate(m: torch.Tensor) -> torch.Tensor:
    """The PDD gate ``(ApproxSign(m) + 1) / 2``: exactly 1 where ``m >= 0``
    and 0 where ``m < 0``; its gradient is half the ApproxSign surrogate."""
    return (ApproxSign.apply(m) + 1) / 2


class ChannelMask(nn.Module):
    """One learnable PDD mask: a scalar ``m`` per channel, gate
    ``g = (ApproxSign(m) + 1) / 2`` multiplied into ``(N, C, H, W)`` features.

    ``m`` is initialised from ``N(0, 1) * init_scale`` (the paper's
    ``N(0, 1) x 0.001``), so about half of the channels start closed and
    the distillation loss reopens or closes them through the surrogate
    gradient. The gate is applied in train and eval mode alike.

    Args:
        num_channels (int): Number of channels ``C``.
        init_scale (float): Scale of the normal initialisation. Defaults to
            1e-3.
    """

    def __init__(self, num_channels: int, init_scale: float = 1e-3) -> None:
        super().__init__()
        self.num_channels = num_channels
        self.m = nn.Parameter(torch.randn(num_channels) * init_scale)

    def gate(self) -> torch.Tensor:
        """The ``(C, )`` 0/1 gate (differentiable through the surrogate)."""
        return approx_sign_gate(self.m)

    def kept_channels(self) -> torch.Tensor:
        """Indices of the channels whose gate is 1 (``m >= 0``)."""
        return torch.nonzero(self.m.detach() >= 0).flatten()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Gate the channels.

        Args:
            x (torch.Tensor): Features, shape ``(N, C, H, W)``.

        Returns:
            torch.Tensor: ``x * g`` broadcast over ``N, H, W``.
        """
        if x.dim() != 4 or x.shape[1] != self.num_channels:
            raise ValueError(
                f'ChannelMask expects (N, {self.num_channels}, H, W) '
                f'features, got {tuple(x.shape)}. Build the mask with '
                'num_channels equal to the width of the layer it follows.')
        return x * self.gate().view(1, -1, 1, 1).to(x.dtype)

    def forward_hook(self, module: nn.Module, args: tuple,
                     output: torch.Tensor) -> torch.Tensor:
        """``register_forward_hook`` callback: gate a module's output."""
        return self(output)

    def forward_pre_hook(self, module: nn.Module, args: tuple) -> tuple:
        """``register_forward_pre_hook`` callback: gate a module's input."""
        return (self(args[0]), ) + tuple(args[1:])

    def extra_repr(self) -> str:
        return f'num_channels={self.num_channels}'
