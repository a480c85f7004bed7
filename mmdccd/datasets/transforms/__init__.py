from .dual_view import DualView
from .lab import LAB_MEAN, LAB_STD, RGBToLab
from .rotate90 import RandomRotate90
from .strict_loading import StrictLoadImageFromFile

__all__ = [
    'DualView', 'LAB_MEAN', 'LAB_STD', 'RGBToLab', 'RandomRotate90',
    'StrictLoadImageFromFile'
]
