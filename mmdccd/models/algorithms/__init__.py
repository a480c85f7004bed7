from .dccd import DCCD

__all__ = ['DCCD']
