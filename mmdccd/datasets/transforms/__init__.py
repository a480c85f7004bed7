from .dual_view import DualView
from .lab import LAB_MEAN, LAB_STD, RGBToLab

__all__ = ['DualView', 'LAB_MEAN', 'LAB_STD', 'RGBToLab']
