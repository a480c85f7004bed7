"""Channel correlation structure (CCS) distillation loss (KSEM 2021)."""
import torch
import torch.nn as nn
from mmrazor.registry import MODELS

from mmdccd.utils.arguments import strict_arguments

from .channel_stats import channel_correlation, standardize_channels


@MODELS.register_module()
@strict_arguments
class ChannelCorrelationLoss(nn.Module):
    r"""Channel correlation structure loss of CCS.

    "Knowledge Distillation via Channel Correlation Structure", KSEM 2021,
    LNAI 12815 (DOI 10.1007/978-3-030-82136-4_29). Only the abstract is
    available: the student aligns the teacher's channel correlation
    structure "in terms of intra-instance and inter-instance relationship
    among a mini-batch". Our reading, with every open choice stated:

    * **Intra-instance** (feature-based): for every sample ``n`` the
      ``C x C`` Pearson correlation of its channels over the ``H * W``
      spatial positions,

      .. math::
          A^n_{ij} = \frac{\mathrm{cov}(F^n_i, F^n_j)}
          {\sqrt{(\mathrm{var}(F^n_i) + \epsilon)(\mathrm{var}(F^n_j) +
          \epsilon)}}

      (biased variances over positions).
    * **Inter-instance** (relation-based): the ``C x C`` Pearson correlation
      of the channels over the ``b`` samples of the mini-batch, on the
      globally average-pooled features :math:`p^n = \mathrm{mean}_{hw}
      F^n` (biased variances over samples, the same :math:`\epsilon`).
    * **Distance**: the mean squared error over matrix entries,

      .. math::
          L_{CCS} = w_{intra} \frac{1}{b C^2}\sum_{n,i,j}(A^n_{s,ij} -
          A^n_{t,ij})^2 + w_{inter}\frac{1}{C^2}\sum_{i,j}(B_{s,ij} -
          B_{t,ij})^2

      so the scale does not grow with the width ``C``; the diagonal (always
      about 1) is included.

    Student and teacher maps must have the same number of channels (map the
    student with a connector, e.g. mmrazor's ``ConvModuleConnector`` with a
    1x1 conv + BN); their spatial sizes may differ, because both matrices are
    ``C x C``. The teacher is detached.

    Args:
        intra_weight (float): :math:`w_{intra}`. Defaults to 1.0.
        inter_weight (float): :math:`w_{inter}`. Defaults to 1.0.
        eps (float): Added to every variance. Defaults to 1e-5.
        loss_weight (float): Multiplier of the whole loss. Defaults to 1.0.
    """

    def __init__(self,
                 intra_weight: float = 1.0,
                 inter_weight: float = 1.0,
                 eps: float = 1e-5,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.intra_weight = intra_weight
        self.inter_weight = inter_weight
        self.eps = eps
        self.loss_weight = loss_weight

    def intra_correlation(self, feat: torch.Tensor) -> torch.Tensor:
        """Per-sample channel correlation over spatial positions.

        Args:
            feat (torch.Tensor): Shape ``(b, C, H, W)``.

        Returns:
            torch.Tensor: Shape ``(b, C, C)``.
        """
        z = standardize_channels(feat.flatten(2).transpose(1, 2),
                                 self.eps)  # (b, HW, C)
        return channel_correlation(z, z)

    def inter_correlation(self, feat: torch.Tensor) -> torch.Tensor:
        """Channel correlation over the mini-batch of pooled features.

        Args:
            feat (torch.Tensor): Shape ``(b, C, H, W)``.

        Returns:
            torch.Tensor: Shape ``(C, C)``.
        """
        z = standardize_channels(feat.mean(dim=(2, 3)), self.eps)  # (b, C)
        return channel_correlation(z, z)

    def forward(self, preds_S: torch.Tensor,
                preds_T: torch.Tensor) -> torch.Tensor:
        """Compute the weighted CCS loss.

        Args:
            preds_S (torch.Tensor): Student maps (after the connector),
                shape ``(b, C, H_s, W_s)``.
            preds_T (torch.Tensor): Teacher maps, shape
                ``(b, C, H_t, W_t)``.

        Returns:
            torch.Tensor: The scalar loss.
        """
        if preds_S.dim() != 4 or preds_T.dim() != 4 or \
                preds_S.shape[:2] != preds_T.shape[:2]:
            raise ValueError(
                'ChannelCorrelationLoss expects student and teacher feature '
                'maps (b, C, H, W) with the same b and C, got student '
                f'{tuple(preds_S.shape)} and teacher {tuple(preds_T.shape)}. '
                'Map the student to the teacher width with a connector '
                "(dict(type='ConvModuleConnector', in_channel=C_s, "
                f"out_channel={preds_T.shape[1] if preds_T.dim() > 1 else 'C_t'}"
                ", norm_cfg=dict(type='BN'), act_cfg=None)).")
        if preds_S.shape[0] < 2:
            raise ValueError(
                'ChannelCorrelationLoss needs at least 2 samples for the '
                f'inter-instance correlation, got a batch of '
                f'{preds_S.shape[0]}.')
        preds_T = preds_T.detach()
        loss = preds_S.new_zeros(())
        if self.intra_weight:
            loss = loss + self.intra_weight * (
                self.intra_correlation(preds_S) -
                self.intra_correlation(preds_T)).pow(2).mean()
        if self.inter_weight:
            loss = loss + self.inter_weight * (
                self.inter_correlation(preds_S) -
                self.inter_correlation(preds_T)).pow(2).mean()
        return self.loss_weight * loss
