"""The student transform M_s of DCCD (paper Table V)."""
from typing import Dict, Optional

import torch
import torch.nn as nn
from mmcv.cnn import build_activation_layer, build_norm_layer
from mmrazor.models.architectures.connectors.base_connector import \
    BaseConnector
from mmrazor.registry import MODELS

from mmdccd.utils.arguments import strict_arguments


@MODELS.register_module()
@strict_arguments
class MLPConnector(BaseConnector):
    """Student transform :math:`M_s` of DCCD (Liu et al., TNNLS 2024).

    Maps pooled student features ``(N, C_s)`` to the teacher width ``d`` before
    the channel contrastive loss, eq. (3): :math:`c_s = Norm(M_s(f_s))`.
    ``num_layers=1`` is the paper's "single linear layer"; ``num_layers >= 2``
    its "multiple linear layers" (Table V, the best setting, and our default):
    ``Linear -> norm -> act`` repeated, then a final ``Linear``. The paper does
    not give the depth or the hidden width; we use two layers with a hidden
    width equal to ``out_channels`` and BatchNorm1d + ReLU between them, as the
    projectors of Barlow Twins-style correlation losses do.

    Args:
        in_channels (int): Student feature width ``C_s``.
        out_channels (int): Teacher feature width ``d``.
        num_layers (int): Number of linear layers. Defaults to 2.
        hidden_channels (int, optional): Width of the hidden layers. Defaults
            to ``out_channels``.
        norm_cfg (dict, optional): Norm layer between linear layers.
            Defaults to ``dict(type='BN1d')``.
        act_cfg (dict, optional): Activation between linear layers. Defaults
            to ``dict(type='ReLU')``.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 num_layers: int = 2,
                 hidden_channels: Optional[int] = None,
                 norm_cfg: Optional[Dict] = dict(type='BN1d'),
                 act_cfg: Optional[Dict] = dict(type='ReLU'),
                 init_cfg: Optional[Dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_layers < 1:
            raise ValueError(f'num_layers must be >= 1, got {num_layers}.')
        self.in_channels = in_channels
        self.out_channels = out_channels
        hidden_channels = hidden_channels or out_channels
        widths = [in_channels] + [hidden_channels] * (num_layers - 1)
        layers = []
        for width_in, width_out in zip(widths[:-1], widths[1:]):
            layers.append(nn.Linear(width_in, width_out))
            if norm_cfg is not None:
                layers.append(build_norm_layer(norm_cfg, width_out)[1])
            if act_cfg is not None:
                layers.append(build_activation_layer(act_cfg))
        layers.append(nn.Linear(widths[-1], out_channels))
        self.layers = nn.Sequential(*layers)

    def forward_train(self, feature: torch.Tensor) -> torch.Tensor:
        """Transform student features.

        Args:
            feature (torch.Tensor): Shape ``(N, in_channels)``; a 4-D
                ``(N, C, 1, 1)`` pooled map is flattened.

        Returns:
            torch.Tensor: Shape ``(N, out_channels)``.
        """
        if feature.dim() == 4 and feature.shape[2:] == (1, 1):
            feature = feature.flatten(1)
        if feature.dim() != 2 or feature.shape[1] != self.in_channels:
            raise ValueError(
                f'MLPConnector expects features of shape (N, '
                f'{self.in_channels}), got {tuple(feature.shape)}. Set '
                'in_channels to the student feature width.')
        return self.layers(feature)
