"""Mixed precision on the CPU: bfloat16 autocast for mmengine's runner."""
import contextlib
from typing import Union

import torch
import torch.nn as nn
from mmengine.optim import OptimWrapper
from mmengine.registry import OPTIM_WRAPPERS


def cpu_supports_bf16() -> bool:
    """Whether this CPU computes bfloat16 natively (AVX512-BF16 or AMX), so
    that bfloat16 autocast is faster than float32 rather than slower."""
    checks = ('_is_amx_tile_supported', '_is_avx512_bf16_supported')
    return any(getattr(torch.cpu, name, lambda: False)() for name in checks)


@OPTIM_WRAPPERS.register_module()
class CPUAmpOptimWrapper(OptimWrapper):
    """``OptimWrapper`` whose forward runs under ``torch.autocast('cpu')``.

    mmengine's ``AmpOptimWrapper`` refuses hosts without a GPU. On the CPU,
    autocast to bfloat16 needs no loss scaling (bfloat16 has float32's
    exponent range), so only the context differs from ``OptimWrapper``:
    the data preprocessor and the forward of ``train_step`` run in it;
    backward and the update stay in float32 (the parameters are float32).
    mmdccd's losses compute in float32 inside it; other losses follow
    autocast's CPU op lists.

    Args:
        dtype (str | torch.dtype): Autocast dtype. Defaults to
            ``'bfloat16'``.
        **kwargs: Arguments of ``OptimWrapper``.
    """

    def __init__(self,
                 dtype: Union[str, torch.dtype] = 'bfloat16',
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if isinstance(dtype, str):
            if not isinstance(getattr(torch, dtype, None), torch.dtype):
                raise ValueError(
                    f'CPUAmpOptimWrapper: dtype must name a torch dtype '
                    f"such as 'bfloat16', got {dtype!r}.")
            dtype = getattr(torch, dtype)
        self.cast_dtype = dtype

    @contextlib.contextmanager
    def optim_context(self, model: nn.Module):
        """Gradient accumulation context of ``OptimWrapper``, with bfloat16
        (``dtype``) autocast on the CPU."""
        with super().optim_context(model), torch.autocast(
                'cpu', dtype=self.cast_dtype):
            yield
