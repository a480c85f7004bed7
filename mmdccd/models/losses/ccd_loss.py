"""Channel contrastive distillation (CCD) loss, DCCD eqs. (3)-(5)."""
from typing import Tuple

import torch
import torch.nn as nn
from mmrazor.registry import MODELS

from mmdccd.utils import at_least_float32, gather_rows, split_views
from mmdccd.utils.arguments import strict_arguments
from .channel_stats import channel_correlation, standardize_channels


@MODELS.register_module()
@strict_arguments
class ChannelContrastiveLoss(nn.Module):
    r"""Channel contrastive distillation loss of DCCD (Liu et al., TNNLS 2024).

    Paper: "DCCD: Reducing Neural Network Redundancy via Distillation".

    Every channel is standardised over the batch, eq. (3):

    .. math::
        c_s = \mathrm{Norm}(M_s(f_s)),\quad c_t = \mathrm{Norm}(f_t),\quad
        \mathrm{Norm}(x) = (x - \mathrm{mean}(x)) / \sqrt{\mathrm{var}(x)
        + \epsilon}

    (biased variance, over the ``b`` rows of one view). With the ``d x d``
    channel correlation matrix :math:`R = c_s^\top c_t / b`, eq. (4) is

    .. math::
        L_{eye}(c_s, c_t) = \underbrace{\sum_i (1 - R_{ii})^2}_{imitation}
        + \frac{\theta}{d - 1}\underbrace{\sum_i\sum_{j\neq i}
        R_{ij}^2}_{contrastive}

    and the CCD loss pairs the student's view of one augmentation with the
    teacher's view of the other, eq. (5):

    .. math::
        L_{CCD} = L_{eye}(\hat c_s, \bar c_t) + L_{eye}(\bar c_s, \hat c_t)

    The inputs are the stacked, view-major ``2b`` batches (see
    :mod:`mmdccd.utils.views`); the loss splits the views itself.

    Args:
        theta (float): Weight :math:`\theta` of the contrastive term
            (fig. 9a). 0 switches the contrastive term off (Table III).
            Defaults to 2.0.
        imitation_weight (float): Weight of the imitation term; 0 switches it
            off (Table III). Defaults to 1.0.
        num_views (int): 2 gives eq. (5) on view-major stacked inputs; 1 gives
            plain :math:`L_{eye}` of eq. (4) on one pair. Defaults to 2.
        eps (float): Added to the variance in ``Norm``. Defaults to 1e-5.
        loss_weight (float): Multiplier of the loss (:math:`\beta` of
            eq. (14)). Defaults to 1.0.
        gather_distributed (bool): Under DDP, take the per-channel statistics
            and ``R`` over the global batch of all processes (gradients flow
            through the gather), so that N processes with b rows each give
            the loss of one process with N*b rows. Defaults to False.
    """

    def __init__(self,
                 theta: float = 2.0,
                 imitation_weight: float = 1.0,
                 num_views: int = 2,
                 eps: float = 1e-5,
                 loss_weight: float = 1.0,
                 gather_distributed: bool = False) -> None:
        super().__init__()
        if num_views not in (1, 2):
            raise ValueError(
                f'num_views must be 1 (plain L_eye) or 2 (eq. 5), got '
                f'{num_views}.')
        self.theta = theta
        self.imitation_weight = imitation_weight
        self.num_views = num_views
        self.eps = eps
        self.loss_weight = loss_weight
        self.gather_distributed = gather_distributed

    def eye_loss(self, c_s: torch.Tensor, c_t: torch.Tensor) -> torch.Tensor:
        """Eq. (4) on normalised ``(b, d)`` channel responses."""
        d = c_s.shape[1]
        corr = channel_correlation(c_s, c_t)
        on_diag = torch.diagonal(corr)
        imitation = (1 - on_diag).pow(2).sum()
        contrastive = corr.pow(2).sum() - on_diag.pow(2).sum()
        return (self.imitation_weight * imitation +
                self.theta / max(d - 1, 1) * contrastive)

    def _check_inputs(self, preds_S: torch.Tensor,
                      preds_T: torch.Tensor) -> None:
        if preds_S.dim() != 2 or preds_T.dim() != 2:
            raise ValueError(
                'ChannelContrastiveLoss expects pooled (rows, channels) '
                f'features, got student {tuple(preds_S.shape)} and teacher '
                f'{tuple(preds_T.shape)}. Record the pooled penultimate '
                'feature (e.g. the input of head.fc).')
        if preds_S.shape != preds_T.shape:
            raise ValueError(
                'Student and teacher features must have the same shape, got '
                f'student {tuple(preds_S.shape)} and teacher '
                f'{tuple(preds_T.shape)}. Map the student to the teacher '
                'width with a connector (MLPConnector out_channels = '
                f'{preds_T.shape[-1]}).')

    def _views(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        views = split_views(x, self.num_views, min_rows=2)
        if self.gather_distributed:
            views = tuple(gather_rows(v) for v in views)
        return tuple(standardize_channels(v, self.eps) for v in views)

    def forward(self, preds_S: torch.Tensor,
                preds_T: torch.Tensor) -> torch.Tensor:
        """Compute :math:`\\beta L_{CCD}`.

        Args:
            preds_S (torch.Tensor): Transformed student features
                :math:`M_s(f_s)`, shape ``(V * b, d)``, view-major.
            preds_T (torch.Tensor): Teacher features :math:`f_t`, shape
                ``(V * b, d)``, view-major. Detached: the teacher is frozen.

        Returns:
            torch.Tensor: The scalar loss, computed in float32 (under
            autocast too).
        """
        self._check_inputs(preds_S, preds_T)
        # float32 even under autocast (mixed precision): R sums b products
        # of unit-variance values, which bfloat16 / float16 round to 3 digits
        with torch.autocast(preds_S.device.type, enabled=False):
            c_s = self._views(at_least_float32(preds_S))
            c_t = self._views(at_least_float32(preds_T.detach()))
            if self.num_views == 1:
                loss = self.eye_loss(c_s[0], c_t[0])
            else:
                loss = self.eye_loss(c_s[0], c_t[1]) + self.eye_loss(
                    c_s[1], c_t[0])
        return self.loss_weight * loss
