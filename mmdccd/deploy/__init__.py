"""Deployment forms of a distilled student."""
from .onnx_export import (ONNX_RTOL, SINGLE_FILE_LIMIT, export_and_check,
                          export_onnx, onnx_max_error, require_onnx)
from .student import build_student, pipeline_input_size

__all__ = [
    'ONNX_RTOL', 'SINGLE_FILE_LIMIT', 'build_student', 'export_and_check',
    'export_onnx', 'onnx_max_error', 'pipeline_input_size', 'require_onnx'
]
