"""A backbone that sees only some input channels of the batch.

In DCCD's cross-model transfer (paper Table IV) the teacher "L-Net" sees the
L channel and the student "ab-Net" the a and b channels of the *same* images.
mmrazor's ``SingleTeacherDistill`` feeds teacher and student one batch from
one data preprocessor, so the channel choice belongs to each model: wrap its
backbone::

    backbone=dict(
        type='ChannelSelectBackbone',
        channels=[0],                                   # L only
        backbone=dict(type='ResNet', depth=18, in_channels=1))

    backbone=dict(
        type='ChannelSelectBackbone',
        channels=[1, 2],                                # a, b
        backbone=dict(type='ResNet', depth=18, in_channels=2))

This works with any classifier (``ImageClassifier``'s ``extract_feat`` just
calls ``self.backbone``). The wrapped backbone is the child ``backbone``, so
its parameters are named ``backbone.backbone.*`` inside a classifier (use
``backbone.backbone.layer4`` in recorder sources).
"""
from typing import List, Optional, Sequence, Union

import torch
from mmengine.model import BaseModule
from mmpretrain.registry import MODELS


@MODELS.register_module()
class ChannelSelectBackbone(BaseModule):
    """Feed the wrapped backbone the input channels ``channels`` only.

    Args:
        channels (Sequence[int]): Indices of the input channels to keep, in
            the order the backbone receives them, e.g. ``[0]`` for L or
            ``[1, 2]`` for a, b of a Lab batch.
        backbone (dict | torch.nn.Module): The wrapped backbone (config or
            module); its input channels must equal ``len(channels)``.
        init_cfg (dict, optional): Initialisation config. Defaults to None
            (the wrapped backbone initialises itself).
    """

    def __init__(self,
                 channels: Sequence[int],
                 backbone: Union[dict, torch.nn.Module],
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        channels = [int(c) for c in channels]
        if not channels or min(channels) < 0:
            raise ValueError('ChannelSelectBackbone expected a non-empty list '
                             f'of channel indices >= 0, but got {channels}.')
        self.channels = channels
        self.register_buffer(
            'index', torch.tensor(channels, dtype=torch.long),
            persistent=False)
        self.backbone = MODELS.build(backbone) if isinstance(
            backbone, dict) else backbone

    @property
    def min_in_channels(self) -> int:
        """The fewest input channels this backbone accepts (the Lab image's
        3 for ``channels=[1, 2]``); read by DCCD's feature-width finder."""
        return max(self.channels) + 1

    def forward(self, x: torch.Tensor) -> Union[tuple, List, torch.Tensor]:
        """Select the channels, then run the backbone.

        Args:
            x (torch.Tensor): Input batch of shape ``(N, C, H, W)`` with
                ``C > max(channels)``.

        Returns:
            tuple | torch.Tensor: The wrapped backbone's output for the
            ``(N, len(channels), H, W)`` input.
        """
        if x.dim() < 2 or x.shape[1] <= max(self.channels):
            raise ValueError(
                f'ChannelSelectBackbone selects channels {self.channels}, so '
                f'it expected an input (N, C, ...) with C > '
                f'{max(self.channels)}, but got shape {tuple(x.shape)}.')
        return self.backbone(x.index_select(1, self.index))
