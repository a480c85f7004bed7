from .cpu_amp_optim_wrapper import CPUAmpOptimWrapper, cpu_supports_bf16

__all__ = ['CPUAmpOptimWrapper', 'cpu_supports_bf16']
