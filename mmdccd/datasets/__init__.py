from . import transforms  # noqa: F401
from .cifar import LocalCIFAR10, LocalCIFAR100
from .crd_sample import CRDSampleDataset
from .fashion_mnist import LocalFashionMNIST
from .stl10 import STL10
from .tiny_imagenet import TinyImageNet

__all__ = [
    'CRDSampleDataset', 'LocalCIFAR10', 'LocalCIFAR100', 'LocalFashionMNIST', 'STL10',
    'TinyImageNet'
]
