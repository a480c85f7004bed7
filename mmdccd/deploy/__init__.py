"""Deployment forms of a distilled student."""
from .onnx_export import (ONNX_ATOL, export_and_check, export_onnx,
                          onnx_max_error, require_onnx)
from .student import build_student

__all__ = [
    'ONNX_ATOL', 'build_student', 'export_and_check', 'export_onnx', 'onnx_max_error',
    'require_onnx'
]
