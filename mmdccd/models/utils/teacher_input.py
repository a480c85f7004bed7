"""Adapt the stacked rows to a teacher trained at another size or with
another normalisation than the student."""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .feature_sources import SizeLike, to_size

INTERPOLATING = ('bilinear', 'bicubic')


class TeacherInput:
    r"""Resize and re-normalise a teacher's input in its forward.

    DCCD's teacher may expect another input than the student: a 224-pixel
    ViT teacher for a 32-pixel CIFAR student, or a timm ViT normalised with
    mean = std = 0.5 for a student normalised with ImageNet's statistics.
    Attached to the teacher (:meth:`attach`), the same stacked ``2b`` rows, in the same
    order, are adapted inside the teacher's one forward, so the batch
    contract of :mod:`mmdccd.utils.views` is unchanged:

    .. math::
        x_t = \mathrm{resize}\Big(\frac{x \sigma_s + \mu_s - \mu_t}
              {\sigma_t}\Big)

    where :math:`x` is normalised with the student's :math:`(\mu_s,
    \sigma_s)` (the data preprocessor's) and the teacher wants
    :math:`(\mu_t, \sigma_t)`. Resizing is bilinear (antialiased when
    shrinking) by default.

    Args:
        size (int | Sequence[int], optional): Teacher input ``H`` or
            ``(H, W)``. Defaults to None (unchanged).
        mean (Sequence[float], optional): The teacher's :math:`\mu_t`, in
            the preprocessor's units (0-255 pixels). Defaults to None
            (the student's).
        std (Sequence[float], optional): The teacher's :math:`\sigma_t`.
            Defaults to None (the student's).
        source_mean (Tensor, optional): The student's :math:`\mu_s`, shape
            ``(C, 1, 1)``. Required with ``mean`` or ``std``. Defaults to
            None.
        source_std (Tensor, optional): The student's :math:`\sigma_s`.
            Defaults to None.
        mode (str): ``torch.nn.functional.interpolate`` mode. Defaults to
            ``'bilinear'``.
    """

    def __init__(self,
                 size: Optional[SizeLike] = None,
                 mean: Optional[Sequence[float]] = None,
                 std: Optional[Sequence[float]] = None,
                 source_mean: Optional[torch.Tensor] = None,
                 source_std: Optional[torch.Tensor] = None,
                 mode: str = 'bilinear') -> None:
        self.size = None if size is None else to_size(size)
        self.mode = mode
        self.scale = self.shift = None
        if mean is not None or std is not None:
            if source_mean is None or source_std is None:
                raise ValueError(
                    'a teacher mean/std needs the student normalisation it '
                    'converts from, but the data preprocessor does not '
                    'normalise; set mean and std in data_preprocessor.')
            mean_t = source_mean.new_tensor(
                mean if mean is not None else source_mean.flatten().tolist())
            std_t = source_std.new_tensor(
                std if std is not None else source_std.flatten().tolist())
            if mean_t.numel() != source_mean.numel() or \
                    std_t.numel() != source_std.numel():
                raise ValueError(
                    f'teacher mean/std need {source_mean.numel()} values '
                    f'(one a channel), got mean {mean} and std {std}.')
            # x_t = x * sigma_s / sigma_t + (mu_s - mu_t) / sigma_t
            self.scale = source_std.flatten() / std_t
            self.shift = (source_mean.flatten() - mean_t) / std_t

    def attach(self, module: nn.Module) -> nn.Module:
        """Adapt the inputs of ``module``'s outermost calls only: a
        classifier whose ``predict`` calls itself (mmpretrain's
        ``TimmClassifier``) must not be re-normalised twice."""
        depth = [0]

        def enter(module, args):
            depth[0] += 1
            return self(module, args) if depth[0] == 1 else None

        def leave(module, args, output):
            depth[0] -= 1

        # marked, so that a copy of the module can be given its own
        enter.teacher_input = leave.teacher_input = self
        module.register_forward_pre_hook(enter)
        module.register_forward_hook(leave, always_call=True)
        return module

    def __call__(self, module: nn.Module, args: Tuple) -> Tuple:
        """Adapt ``args[0]``, shape ``(N, C, H, W)``; other arguments pass
        unchanged.

        Returns:
            tuple: The new arguments.
        """
        x, rest = args[0], args[1:]
        if self.scale is not None:
            shape = (1, -1, 1, 1)
            x = x * self.scale.to(x).view(shape) + self.shift.to(x).view(
                shape)
        if self.size is not None and tuple(x.shape[-2:]) != self.size:
            shrink = x.shape[-2] > self.size[0] or x.shape[-1] > self.size[1]
            interpolating = self.mode in INTERPOLATING
            x = F.interpolate(
                x,
                size=self.size,
                mode=self.mode,
                align_corners=False if interpolating else None,
                antialias=shrink and interpolating)
        return (x, *rest)

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(size={self.size}, '
                f'renormalise={self.scale is not None}, mode={self.mode!r})')
