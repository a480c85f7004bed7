"""Hinton KD (Hinton et al., 2015): the KD term of DCCD eq. (14) and the
distance inside both directions of DKD, eq. (7)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmrazor.registry import MODELS

from mmdccd.utils import at_least_float32
from mmdccd.utils.arguments import strict_arguments


def kd_loss(preds_S: torch.Tensor, preds_T: torch.Tensor,
            tau: float) -> torch.Tensor:
    r"""Hinton KD in float32, also under autocast.

    .. math::
        KD_\tau(s, t) = \tau^2\,\mathrm{KL}(\mathrm{softmax}(t/\tau)\,\|\,
        \mathrm{softmax}(s/\tau))

    summed over classes and averaged over rows (the ``'batchmean'``
    reduction). The :math:`\tau^2` factor keeps the gradient scale
    independent of :math:`\tau`. The softmax is taken in float32 even under
    mixed precision: bfloat16 keeps 3 significant digits, which rounds away
    the small probabilities the soft targets carry (and DKD's small logit
    differences).

    Args:
        preds_S (torch.Tensor): Student logits, shape ``(N, K)``.
        preds_T (torch.Tensor): Teacher logits, shape ``(N, K)``; not
            detached here.
        tau (float): Temperature :math:`\tau`.

    Returns:
        torch.Tensor: The scalar loss, float32 (or float64 for float64
        inputs).
    """
    with torch.autocast(preds_S.device.type, enabled=False):
        log_p_s = F.log_softmax(at_least_float32(preds_S) / tau, dim=1)
        log_p_t = F.log_softmax(at_least_float32(preds_T) / tau, dim=1)
        kl = (log_p_t.exp() * (log_p_t - log_p_s)).sum(dim=1)
        return tau**2 * kl.mean()


@MODELS.register_module()
@strict_arguments
class HintonKDLoss(nn.Module):
    r"""Hinton KD, :math:`\tau^2`-scaled, mean over rows, in float32.

    The :math:`L_{KD}` of DCCD (Liu et al., TNNLS 2024) eq. (14),
    :func:`kd_loss` on all rows; :class:`DifferenceKDLoss` applies the same
    :func:`kd_loss` to the view differences. It computes what mmrazor's
    ``KLDivergence(reduction='batchmean')`` computes, but keeps float32 under
    CPU / GPU autocast, where ``KLDivergence`` takes its softmax in bfloat16.

    Args:
        tau (float): Temperature :math:`\tau`. Defaults to 4.0.
        loss_weight (float): Multiplier (:math:`\alpha` of eq. 14).
            Defaults to 1.0.
    """

    def __init__(self, tau: float = 4.0, loss_weight: float = 1.0) -> None:
        super().__init__()
        if tau <= 0:
            raise ValueError(f'tau must be positive, got {tau}.')
        self.tau = tau
        self.loss_weight = loss_weight

    def forward(self, preds_S: torch.Tensor,
                preds_T: torch.Tensor) -> torch.Tensor:
        """Compute :math:`\\alpha L_{KD}`.

        Args:
            preds_S (torch.Tensor): Student logits, shape ``(N, K)``.
            preds_T (torch.Tensor): Teacher logits, shape ``(N, K)``.
                Detached: the teacher is frozen.

        Returns:
            torch.Tensor: The scalar loss.
        """
        if preds_S.shape != preds_T.shape or preds_S.dim() != 2:
            raise ValueError(
                'HintonKDLoss expects student and teacher logits of the same '
                f'(rows, num_classes) shape, got student '
                f'{tuple(preds_S.shape)} and teacher {tuple(preds_T.shape)}.')
        return self.loss_weight * kd_loss(preds_S, preds_T.detach(),
                                          self.tau)
