from .multi_view_preprocessor import MultiViewClsDataPreprocessor

__all__ = ['MultiViewClsDataPreprocessor']
