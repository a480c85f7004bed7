"""Parameter and FLOP counts of the kind pruning papers report.

Two FLOP conventions (``convention``):

* ``'macs'`` (default): multiply-accumulates of the convolution and linear
  layers only, the convention of the CIFAR pruning literature (e.g.
  ResNet-56 "125M FLOPs"): a conv with ``C_in / groups`` input channels, a
  ``k_h x k_w`` kernel and an ``C_out x H_out x W_out`` output costs
  ``C_out * H_out * W_out * (C_in / groups) * k_h * k_w``; a linear layer
  ``in * out``. Biases, BN, ReLU, pooling and the residual additions are not
  counted.
* ``'thop'``: the rules of thop 0.1.1 (``thop.profile``), the counter of the
  PDD authors' ``calculating_flops.py``: conv and linear as above (thop adds
  no bias term), plus ``4`` operations per input element of an affine BN
  (``2`` without affine: normalise, then scale and shift); ReLU, max-pooling,
  dropout and modules thop does not know (the PDD masks, the shortcuts) count
  0, and functional calls (``F.relu``, the authors' ``F.avg_pool2d``) are not
  seen. Average pooling does not occur in the authors' networks; here it
  counts 0 as well. The ``'thop'`` total is larger than ``'macs'`` by the BN
  term only.

Parameters are all parameters except the PDD masks (thop counts the
parameters of the layers it has rules for, which for these networks is the
same number).
"""
from typing import Dict, Sequence

import torch
import torch.nn as nn

MASK_KEY = 'pdd_masks'


def count_parameters(model: nn.Module) -> int:
    """Number of parameters, PDD mask values excluded."""
    return sum(p.numel() for name, p in model.named_parameters()
               if MASK_KEY not in name.split('.'))


FLOP_CONVENTIONS = ('macs', 'thop')


def count_flops(model: nn.Module,
                input_shape: Sequence[int] = (3, 32, 32),
                convention: str = 'macs') -> int:
    """FLOPs of one ``input_shape`` image under a convention (module doc).

    Args:
        model (nn.Module): A network whose ``forward(x)`` takes an image
            batch (for an mmpretrain classifier pass ``model`` and it is
            called with ``mode='tensor'``).
        input_shape (Sequence[int]): ``(C, H, W)``. Defaults to
            ``(3, 32, 32)``.
        convention (str): ``'macs'`` (conv + linear multiply-accumulates)
            or ``'thop'`` (thop 0.1.1's rules). Defaults to ``'macs'``.

    Returns:
        int: The FLOPs.
    """
    if convention not in FLOP_CONVENTIONS:
        raise ValueError(f'count_flops: convention must be one of '
                         f'{FLOP_CONVENTIONS}, got {convention!r}.')
    total = [0]

    def conv_hook(module: nn.Conv2d, args, output: torch.Tensor) -> None:
        kh, kw = module.kernel_size
        total[0] += (output.shape[1] * output.shape[2] * output.shape[3] *
                     module.in_channels // module.groups * kh * kw)

    def linear_hook(module: nn.Linear, args, output: torch.Tensor) -> None:
        total[0] += module.in_features * module.out_features

    def bn_hook(module: nn.BatchNorm2d, args, output: torch.Tensor) -> None:
        total[0] += (4 if module.affine else 2) * args[0][0].numel()

    handles = []
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            handles.append(module.register_forward_hook(conv_hook))
        elif isinstance(module, nn.Linear):
            handles.append(module.register_forward_hook(linear_hook))
        elif convention == 'thop' and isinstance(module, nn.BatchNorm2d):
            handles.append(module.register_forward_hook(bn_hook))
    was_training = model.training
    model.eval()
    try:
        param = next(model.parameters())
        x = torch.zeros(1, *input_shape, device=param.device,
                        dtype=param.dtype)
        with torch.no_grad():
            if hasattr(model, 'data_preprocessor'):
                model(x, mode='tensor')
            else:
                model(x)
    finally:
        for handle in handles:
            handle.remove()
        model.train(was_training)
    return total[0]


def complexity_report(before: nn.Module,
                      after: nn.Module,
                      input_shape: Sequence[int] = (3, 32, 32)) -> Dict:
    """Parameters and FLOPs of a network before and after pruning, and the
    fractions removed (the numbers PDD reports).

    Returns:
        dict: ``params_*``, ``flops_*`` (conv + linear MACs) and
        ``thop_flops_*`` (thop 0.1.1's rules), each ``_before``, ``_after``
        and ``_removed`` (a fraction).
    """
    report = dict(
        params_before=count_parameters(before),
        params_after=count_parameters(after))
    for key, convention in (('flops', 'macs'), ('thop_flops', 'thop')):
        report[f'{key}_before'] = count_flops(before, input_shape, convention)
        report[f'{key}_after'] = count_flops(after, input_shape, convention)
    for key in ('params', 'flops', 'thop_flops'):
        report[f'{key}_removed'] = (
            1 - report[f'{key}_after'] / report[f'{key}_before'])
    return report
