from .views import split_views, stack_views

__all__ = ['split_views', 'stack_views']
