from .upright_linear_cls_head import UprightLinearClsHead, upright_row_weights

__all__ = ['UprightLinearClsHead', 'upright_row_weights']
