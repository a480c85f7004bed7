"""Parameter and FLOP counts of the kind pruning papers report.

FLOPs are counted as multiply-accumulates (MACs) of the convolution and
linear layers only, the convention of the CIFAR pruning literature (e.g.
ResNet-56 "125M FLOPs"): a conv with ``C_in / groups`` input channels, a
``k_h x k_w`` kernel and an ``C_out x H_out x W_out`` output costs
``C_out * H_out * W_out * (C_in / groups) * k_h * k_w``; a linear layer
``in * out``. Biases, BN, ReLU, pooling and the residual additions are not
counted. Parameters are all parameters except the PDD masks.
"""
from typing import Dict, Sequence

import torch
import torch.nn as nn

MASK_KEY = 'pdd_masks'


def count_parameters(model: nn.Module) -> int:
    """Number of parameters, PDD mask values excluded."""
    return sum(p.numel() for name, p in model.named_parameters()
               if MASK_KEY not in name.split('.'))


def count_flops(model: nn.Module,
                input_shape: Sequence[int] = (3, 32, 32)) -> int:
    """Conv + linear multiply-accumulates of one ``input_shape`` image.

    Args:
        model (nn.Module): A network whose ``forward(x)`` takes an image
            batch (for an mmpretrain classifier pass ``model`` and it is
            called with ``mode='tensor'``).
        input_shape (Sequence[int]): ``(C, H, W)``. Defaults to
            ``(3, 32, 32)``.

    Returns:
        int: The MACs.
    """
    total = [0]

    def conv_hook(module: nn.Conv2d, args, output: torch.Tensor) -> None:
        kh, kw = module.kernel_size
        total[0] += (output.shape[1] * output.shape[2] * output.shape[3] *
                     module.in_channels // module.groups * kh * kw)

    def linear_hook(module: nn.Linear, args, output: torch.Tensor) -> None:
        total[0] += module.in_features * module.out_features

    handles = []
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            handles.append(module.register_forward_hook(conv_hook))
        elif isinstance(module, nn.Linear):
            handles.append(module.register_forward_hook(linear_hook))
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
    fractions removed (the numbers PDD reports)."""
    report = dict(
        params_before=count_parameters(before),
        params_after=count_parameters(after),
        flops_before=count_flops(before, input_shape),
        flops_after=count_flops(after, input_shape))
    for key in ('params', 'flops'):
        report[f'{key}_removed'] = (
            1 - report[f'{key}_after'] / report[f'{key}_before'])
    return report
