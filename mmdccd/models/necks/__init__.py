from .adaptive_pool_flatten import AdaptivePoolFlatten

__all__ = ['AdaptivePoolFlatten']
