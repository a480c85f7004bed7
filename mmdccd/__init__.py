"""mmdccd: DCCD (difference-based channel contrastive distillation) for
OpenMMLab.

Importing the package makes the mmengine / mmpretrain / mmrazor stack work on
current PyTorch (:mod:`mmdccd.compat`) and registers every part of mmdccd into
mmrazor's and mmpretrain's registries.
"""
from . import compat

compat.apply()

from . import datasets, engine, evaluation, models  # noqa: E402,F401
from .version import __version__  # noqa: E402

__all__ = ['__version__']
