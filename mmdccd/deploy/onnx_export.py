"""The distilled student as an ONNX file, checked against PyTorch.

The graph is the student classifier's ``mode='tensor'`` forward: input
``inputs`` of shape ``(batch, C, H, W)``, normalised as the student's data
preprocessor does (``(pixels - mean) / std``, RGB), output ``logits`` of
shape ``(batch, classes)``. The batch is dynamic, the image size fixed.
Exported with torch's ``torch.export``-based exporter (``dynamo=True``;
TorchScript is deprecated in torch 2.14). Needs the ``onnx`` extra:
``pip install mmdccd[onnx]`` (onnx, onnxscript, onnxruntime).

One file: the weights are stored inside the ``.onnx`` (``external_data=
False``), so the file alone deploys. Protobuf cannot hold a message of 2 GiB
or more; a student whose weights reach :data:`SINGLE_FILE_LIMIT` is written
as ONNX's external-data form instead, ``NAME.onnx`` beside ``NAME.onnx.data``
(keep the two together).

The check: onnxruntime's logits on random input must equal PyTorch's within
``rtol * max(1, max |PyTorch logit|)`` (:data:`ONNX_RTOL`): float32 rounding
grows with the logits' scale (an absolute 1e-4 refuses correct exports of
large trained networks), while a wrong export differs by whole units.
"""
import importlib.util
import os
import os.path as osp
import shutil
import tempfile
from typing import Optional, Sequence, Tuple

import torch
from torch import nn

from mmdccd.models.utils.feature_sources import (SizeLike,
                                                 declared_in_channels,
                                                 declared_input_size,
                                                 to_size)

ONNX_PACKAGES = ('onnx', 'onnxscript', 'onnxruntime')
#: Relative tolerance of the check: the largest |ONNX - PyTorch| logit
#: difference that passes is ``ONNX_RTOL * max(1, max |PyTorch logit|)``.
ONNX_RTOL = 1e-4
#: Weights of this many bytes or more go to ``NAME.onnx.data`` (protobuf's
#: 2 GiB message limit, less 64 MiB for the graph itself).
SINGLE_FILE_LIMIT = 2**31 - 2**26


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
            f'{type(student).__name__} declares no input size and the '
            'config\'s test pipeline sets none (no CenterCrop or Resize to a '
            'fixed size): give the image size the student was trained at '
            '(--input-size 32 for CIFAR, 224 for ImageNet).')
    return to_size(size)


def weight_bytes(module: nn.Module) -> int:
    """Bytes of ``module``'s parameters and buffers."""
    tensors = list(module.parameters()) + list(module.buffers())
    return sum(t.numel() * t.element_size() for t in tensors)


def export_onnx(student: nn.Module,
                path: str,
                input_size: Tuple[int, int],
                in_channels: Optional[int] = None) -> None:
    """Write the student's logits graph to ``path`` (eval mode).

    Args:
        student (nn.Module): The student classifier (weights loaded).
        path (str): The ``.onnx`` file to write: one self-contained file,
            or, for weights of :data:`SINGLE_FILE_LIMIT` bytes or more,
            beside ``path + '.data'``.
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
        external_data=weight_bytes(student) >= SINGLE_FILE_LIMIT,
        input_names=['inputs'],
        output_names=['logits'],
        dynamic_shapes=({
            0: torch.export.Dim('batch')
        }, ))


def onnx_max_error(path: str, student: nn.Module,
                   inputs: torch.Tensor) -> Tuple[float, float]:
    """Largest ``|ONNX logits - PyTorch logits|`` on ``inputs`` (onnxruntime
    on the CPU against the student in eval mode), and the largest
    ``|PyTorch logit|`` (the logits' scale)."""
    require_onnx()
    import onnxruntime
    session = onnxruntime.InferenceSession(
        path, providers=['CPUExecutionProvider'])
    (onnx_logits, ) = session.run(['logits'], {'inputs': inputs.numpy()})
    student.eval()
    with torch.no_grad():
        logits = student(inputs, mode='tensor')
    error = (torch.from_numpy(onnx_logits) - logits).abs().max().item()
    return error, logits.abs().max().item()


def export_and_check(student: nn.Module,
                     path: str,
                     input_size: Optional[Sequence[int]] = None,
                     rtol: float = ONNX_RTOL,
                     seed: int = 0) -> Tuple[float, float]:
    """:func:`export_onnx`, then :func:`onnx_max_error` on 3 random images
    (another batch size than the export's: the batch is dynamic). The files
    are written to a temporary folder beside ``path`` and moved into place
    only when the check passes: a refused export leaves nothing behind.

    Args:
        student (nn.Module): The student classifier (weights loaded).
        path (str): The ``.onnx`` file to write.
        input_size (Sequence[int], optional): ``H`` or ``(H, W)``.
            Defaults to None (the size the student declares).
        rtol (float): The check's tolerance, relative to
            ``max(1, max |PyTorch logit|)``. Defaults to :data:`ONNX_RTOL`.
        seed (int): Seed of the check's random input. Defaults to 0.

    Returns:
        tuple[float, float]: The largest logit difference and the tolerance
        it was held to.

    Raises:
        ValueError: If the difference exceeds the tolerance.
    """
    size = student_input_size(student, input_size)
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    staging = tempfile.mkdtemp(prefix='.onnx-export-', dir=folder)
    try:
        # the final file name: external data records it
        staged = osp.join(staging, osp.basename(path))
        export_onnx(student, staged, size)
        inputs = torch.randn(3, declared_in_channels(student), *size,
                             generator=torch.Generator().manual_seed(seed))
        error, scale = onnx_max_error(staged, student, inputs)
        tolerance = rtol * max(1.0, scale)
        if not error <= tolerance:
            raise ValueError(
                f'the ONNX student differs from the PyTorch one by '
                f'{error:.3g} on random input, where logits reach {scale:.3g}'
                f' (expected <= {rtol:g} x max(1, {scale:.3g}) = '
                f'{tolerance:.3g}); nothing was written to {path}. If the '
                'difference is float rounding, raise --onnx-rtol.')
        for name in os.listdir(staging):
            os.replace(osp.join(staging, name), osp.join(folder, name))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return error, tolerance
