"""mmrazor's CRD loss with its ``loss_weight`` applied."""
import torch
from mmrazor.models.losses import CRDLoss
from mmrazor.registry import MODELS

from mmdccd.utils.arguments import strict_arguments


@MODELS.register_module()
@strict_arguments
class WeightedCRDLoss(CRDLoss):
    """CRD (Tian et al., "Contrastive Representation Distillation", ICLR
    2020) as mmrazor 1.0.0's :class:`CRDLoss`, multiplied by ``loss_weight``.

    mmrazor 1.0.0 stores ``loss_weight`` but returns the unweighted NCE loss,
    so the benchmark's CRD weight (0.8) would silently be 1.0. Arguments are
    those of :class:`CRDLoss`.
    """

    def forward(self, s_feats: torch.Tensor, t_feats: torch.Tensor,
                data_samples) -> torch.Tensor:
        """Weighted CRD loss; see :meth:`CRDLoss.forward`."""
        return self.loss_weight * super().forward(s_feats, t_feats,
                                                  data_samples)
