from .ccd_loss import ChannelContrastiveLoss
from .difference_kd_loss import DifferenceKDLoss

__all__ = ['ChannelContrastiveLoss', 'DifferenceKDLoss']
