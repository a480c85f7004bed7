"""Difference KD loss, DCCD eq. (7)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmrazor.registry import MODELS

from mmdccd.utils import at_least_float32, split_views
from mmdccd.utils.arguments import strict_arguments
from .kd_loss import kd_loss


@MODELS.register_module()
@strict_arguments
class DifferenceKDLoss(nn.Module):
    r"""Difference KD of DCCD (Liu et al., TNNLS 2024), eq. (7).

    The logits of the two augmented views of each image are subtracted,
    :math:`\hat d = y[\text{view 1}] - y[\text{view 2}]` and
    :math:`\bar d = -\hat d`, for the student and for the teacher, and KD is
    applied to the differences:

    .. math::
        L_{DKD} = \frac{1}{2}\left(KD_\tau(\hat d_s, \hat d_t)
        + KD_\tau(\bar d_s, \bar d_t)\right)

    with :math:`KD_\tau(s, t) = \tau^2\,\mathrm{KL}(\mathrm{softmax}(t/\tau)
    \,\|\,\mathrm{softmax}(s/\tau))` summed over classes and averaged over the
    ``b`` rows: :func:`~mmdccd.models.losses.kd_loss.kd_loss`, the same KD as
    the :math:`L_{KD}` term (:class:`HintonKDLoss`); :math:`\tau^2` keeps
    gradients comparable across temperatures.

    ``distance='mse'`` (fig. 9b) replaces :math:`KD_\tau` by the mean squared
    error of the differences, averaged over rows and classes; the two
    directions are then equal, so the loss is :math:`\mathrm{MSE}(\hat d_s,
    \hat d_t)` (``tau`` is not used).

    Args:
        tau (float): Temperature :math:`\tau`. Defaults to 4.0.
        distance (str): ``'kl'`` (eq. 7) or ``'mse'``. Defaults to ``'kl'``.
        loss_weight (float): Multiplier (:math:`\alpha` of eq. 14).
            Defaults to 1.0.
    """

    def __init__(self,
                 tau: float = 4.0,
                 distance: str = 'kl',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if distance not in ('kl', 'mse'):
            raise ValueError(
                f"distance must be 'kl' or 'mse', got {distance!r}.")
        if tau <= 0:
            raise ValueError(f'tau must be positive, got {tau}.')
        self.tau = tau
        self.distance = distance
        self.loss_weight = loss_weight

    def forward(self, preds_S: torch.Tensor,
                preds_T: torch.Tensor) -> torch.Tensor:
        """Compute :math:`\\alpha L_{DKD}`.

        Args:
            preds_S (torch.Tensor): Student logits, shape ``(2b, K)``,
                view-major.
            preds_T (torch.Tensor): Teacher logits, shape ``(2b, K)``,
                view-major. Detached: the teacher is frozen.

        Returns:
            torch.Tensor: The scalar loss, computed in float32 (under
            autocast too).
        """
        if preds_S.shape != preds_T.shape or preds_S.dim() != 2:
            raise ValueError(
                'DifferenceKDLoss expects student and teacher logits of the '
                'same (2b, num_classes) shape, got student '
                f'{tuple(preds_S.shape)} and teacher {tuple(preds_T.shape)}.')
        # float32 under mixed precision too: the differences are small, and
        # their softmax at low precision would round them away
        s1, s2 = split_views(at_least_float32(preds_S), 2)
        t1, t2 = split_views(at_least_float32(preds_T.detach()), 2)
        d_s, d_t = s1 - s2, t1 - t2
        if self.distance == 'mse':
            loss = F.mse_loss(d_s, d_t)
        else:
            loss = 0.5 * (kd_loss(d_s, d_t, self.tau) +
                          kd_loss(-d_s, -d_t, self.tau))
        return self.loss_weight * loss
