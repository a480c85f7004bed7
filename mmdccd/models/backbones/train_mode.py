"""``train()`` that returns the module, for mmpretrain backbones.

mmpretrain 1.2.0's ``BaseBackbone.train`` and ``ResNet.train`` return None
(docs/design.md section 3, fix 8), so ``backbone.eval()(x)`` or
``model = build(...).eval()`` break. Our CIFAR backbones put this mixin first
in their bases to return ``self`` as ``nn.Module.train`` does.
"""
from typing import TypeVar

T = TypeVar('T')


class TrainReturnsSelfMixin:
    """Mixin: ``train(mode)`` / ``eval()`` return the module itself."""

    def train(self: T, mode: bool = True) -> T:
        """Set train (``mode=True``) or eval mode; returns ``self``."""
        super().train(mode)
        return self
