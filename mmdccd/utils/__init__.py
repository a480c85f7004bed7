from .cpu_distributed import setup_cpu_distributed
from .gather import gather_rows
from .host_memory import retain_freed_memory
from .precision import at_least_float32
from .views import split_views, stack_views

__all__ = [
    'at_least_float32', 'gather_rows', 'retain_freed_memory',
    'setup_cpu_distributed', 'split_views', 'stack_views'
]
