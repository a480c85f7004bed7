from .ccd_loss import ChannelContrastiveLoss
from .ccs_loss import ChannelCorrelationLoss
from .difference_kd_loss import DifferenceKDLoss
from .kd_loss import HintonKDLoss, kd_loss
from .weighted_crd_loss import WeightedCRDLoss

__all__ = [
    'ChannelContrastiveLoss', 'ChannelCorrelationLoss', 'DifferenceKDLoss',
    'HintonKDLoss', 'WeightedCRDLoss', 'kd_loss'
]
