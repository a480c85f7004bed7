"""Loss inputs at float32 or above under mixed precision."""
import torch


def at_least_float32(x: torch.Tensor) -> torch.Tensor:
    """``x`` as float32 when it is of a lower precision (bfloat16 or float16
    under autocast); float32 and float64 inputs are returned unchanged."""
    return x.to(torch.promote_types(x.dtype, torch.float32))
