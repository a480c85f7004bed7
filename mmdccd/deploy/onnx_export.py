"""The distilled student as an ONNX file, checked against PyTorch.

The graph is the student classifier's ``mode='tensor'`` forward: input
``inputs`` of shape ``(batch, C, H, W)``, normalised as the student's data
preprocessor does (``(pixels - mean) / std``, RGB), output ``logits`` of
shape ``(batch, classes)``. The batch is dynamic, the image size fixed.
Exported with torch's ``torch.export``-based exporter (``dynamo=True``;
TorchScript is deprecated in torch 2.14). Needs the ``onnx`` extra:
``pip install mmdccd[onnx]`` (onnx, onnxscript, onnxruntime).
"""
import importlib.util
from typing import Optional, Sequence, Tuple

import torch
from torch import nn

from mmdccd.models.utils.feature_sources import (SizeLike,
                                                 declared_in_channels,
                                                 declared_input_size,
                                                 to_size)

ONNX_PACKAGES = ('onnx', 'onnxscript', 'onnxruntime')
#: The largest |ONNX - PyTorch| difference of a logit that passes the check.
ONNX_ATOL = 1e-4


def require_onnx() -> None:
    """Raise a clear ImportError when an ONNX package is missing."""
    missing = [p for p in ONNX_PACKAGES if importlib.util.find_spec(p) is None]
    if missing:
        raise ImportError(
            f'ONNX export needs {", ".join(ONNX_PACKAGES)}; missing '
            f'{", ".join(missing)}. Install them with '
            "`pip install 'mmdccd[onnx]'`.")


class ClassifierLogits(nn.Module):
    """``classifier(inputs, mode='tensor')`` as a plain ``forward``.

    Args:
        classifier (nn.Module): An mmpretrain classifier.
    """

    def __init__(self, classifier: nn.Module) -> None:
        super().__init__()
        self.classifier = classifier

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        """Logits ``(N, classes)`` of normalised images ``(N, C, H, W)``."""
        return self.classifier(inputs, mode='tensor')


def student_input_size(student: nn.Module,
                       input_size: Optional[SizeLike]) -> Tuple[int, int]:
    """``input_size``, else the size the student declares, else an error."""
    size = input_size or declared_input_size(student)
    if size is None:
        raise ValueError(
            f'{type(student).__name__} declares no input size: give the '
            'image size the student was trained at (--input-size 32 for '
            'CIFAR, 224 for ImageNet).')
    return to_size(size)


def export_onnx(student: nn.Module,
                path: str,
                input_size: Tuple[int, int],
                in_channels: Optional[int] = None) -> None:
    """Write the student's logits graph to ``path`` (eval mode).

    Args:
        student (nn.Module): The student classifier (weights loaded).
        path (str): The ``.onnx`` file to write.
        input_size (tuple[int, int]): ``(H, W)`` of the graph's input.
        in_channels (int, optional): Input channels. Defaults to None
            (those of the student's first convolution).
    """
    require_onnx()
    graph = ClassifierLogits(student)
    graph.eval()
    channels = in_channels or declared_in_channels(student)
    sample = torch.zeros(2, channels, *input_size)
    torch.onnx.export(
        graph, (sample, ),
        path,
        dynamo=True,
        input_names=['inputs'],
        output_names=['logits'],
        dynamic_shapes=({
            0: torch.export.Dim('batch')
        }, ))


def onnx_max_error(path: str, student: nn.Module,
                   inputs: torch.Tensor) -> float:
    """Largest ``|ONNX logits - PyTorch logits|`` on ``inputs`` (onnxruntime
    on the CPU against the student in eval mode)."""
    require_onnx()
    import onnxruntime
    session = onnxruntime.InferenceSession(
        path, providers=['CPUExecutionProvider'])
    (onnx_logits, ) = session.run(['logits'], {'inputs': inputs.numpy()})
    student.eval()
    with torch.no_grad():
        logits = student(inputs, mode='tensor')
    return (torch.from_numpy(onnx_logits) - logits).abs().max().item()


def export_and_check(student: nn.Module,
                     path: str,
                     input_size: Optional[Sequence[int]] = None,
                     seed: int = 0) -> float:
    """:func:`export_onnx`, then :func:`onnx_max_error` on 3 random images
    (another batch size than the export's: the batch is dynamic).

    Args:
        student (nn.Module): The student classifier (weights loaded).
        path (str): The ``.onnx`` file to write.
        input_size (Sequence[int], optional): ``H`` or ``(H, W)``.
            Defaults to None (the size the student declares).
        seed (int): Seed of the check's random input. Defaults to 0.

    Returns:
        float: The largest logit difference.

    Raises:
        ValueError: If it exceeds :data:`ONNX_ATOL`.
    """
    size = student_input_size(student, input_size)
    export_onnx(student, path, size)
    inputs = torch.randn(3, declared_in_channels(student), *size,
                         generator=torch.Generator().manual_seed(seed))
    error = onnx_max_error(path, student, inputs)
    if not error <= ONNX_ATOL:
        raise ValueError(
            f'the ONNX student differs from the PyTorch one by {error:.3g} '
            f'on random input (expected <= {ONNX_ATOL}); {path} is not a '
            'faithful export.')
    return error
