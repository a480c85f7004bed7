"""CCD weight set from the loss values of the first iterations
(``DCCD(beta='balanced')``).

The paper (Sec. IV-A) states how it chose beta: "We keep the L_CCD roughly
equal in value and similar in proportion to other losses in different
experiments"; 25.6 / d is what that gave on its CIFAR-100 pairs. Our reading
of that sentence as a rule, for settings far from the paper's:

.. math::
    \\beta = \\frac{\\sum_{t \\le K} \\bar{L}_t}{\\sum_{t \\le K} L_{CCD,t}},
    \\qquad \\bar{L}_t = \\mathrm{mean}(L_{CE}, \\alpha L_{KD},
    \\alpha L_{DKD})_t

over the first ``K`` training iterations (the terms that are on, weighted as
they enter eq. 14), then fixed: ``beta * L_CCD`` is as large as the average
other term, so CCD takes a share of the loss like each of the others. At
iteration ``t <= K`` the estimate from iterations ``1..t`` weights that
iteration's CCD (the values are known before the backward pass, so no
iteration goes without CCD). Under DDP the sums are averaged over the
ranks, so every rank uses the same beta. The state is a buffer: a resumed
run keeps its beta.
"""
from typing import Sequence

import torch
from mmengine.dist import all_reduce
from torch import Tensor, nn


class BalancedBeta(nn.Module):
    """Running estimate, then fixed value, of the balanced CCD weight.

    Args:
        num_iters (int): ``K``, the iterations the estimate is taken over.
            Defaults to 100.
    """

    def __init__(self, num_iters: int = 100) -> None:
        super().__init__()
        if num_iters < 1:
            raise ValueError(f'num_iters must be >= 1, got {num_iters}.')
        self.num_iters = num_iters
        # sums of the mean other term and of L_CCD, and the count
        self.register_buffer('sums', torch.zeros(2, dtype=torch.float64))
        self.register_buffer('count', torch.zeros((), dtype=torch.long))

    @property
    def beta(self) -> Tensor:
        """The current weight (0 before the first update)."""
        return (self.sums[0] / self.sums[1]).nan_to_num(0.0)

    def forward(self, others: Sequence[Tensor], ccd: Tensor) -> Tensor:
        """Update the estimate (during the first ``num_iters`` calls) and
        return beta.

        Args:
            others (Sequence[Tensor]): The other weighted loss terms of this
                iteration (scalars).
            ccd (Tensor): This iteration's unweighted :math:`L_{CCD}`.

        Returns:
            Tensor: beta, a float64 scalar without gradient.
        """
        if not others:
            raise ValueError('beta=\'balanced\' needs another loss term (CE, '
                             'KD or DKD) to balance CCD against; got CCD '
                             'alone.')
        if int(self.count) < self.num_iters:
            step = torch.stack([
                torch.stack([o.detach().double() for o in others]).mean(),
                ccd.detach().double()
            ]).to(self.sums.device)
            all_reduce(step, op='mean')
            self.sums += step
            self.count += 1
        return self.beta
