from .cpu_distributed import setup_cpu_distributed
from .views import split_views, stack_views

__all__ = ['setup_cpu_distributed', 'split_views', 'stack_views']
