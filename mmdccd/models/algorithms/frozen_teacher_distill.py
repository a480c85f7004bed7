"""Single-teacher distillation whose frozen teacher needs no labels."""
from typing import List, Optional

import torch
from mmengine.structures import BaseDataElement
from mmrazor.models.algorithms import SingleTeacherDistill
from mmrazor.models.algorithms.base import LossResults
from mmrazor.models.utils import add_prefix
from mmrazor.registry import MODELS


@MODELS.register_module()
class FrozenTeacherDistill(SingleTeacherDistill):
    """mmrazor's ``SingleTeacherDistill`` with a frozen teacher that only
    infers, so distillation can run on unlabelled data.

    mmrazor 1.0.0 runs the frozen teacher, and a student whose task loss is
    off (``calculate_student_loss=False``), in ``mode='loss'``: both compute
    a cross-entropy on labels they do not use, which fails on an unlabelled
    split (STL-10's ``unlabeled``, ``gt_label = -1``). Here

    - a frozen teacher runs in ``mode='tensor'`` under ``torch.no_grad()``
      and stays entirely in eval mode (BatchNorm statistics and dropout);
    - with ``calculate_student_loss=False`` the student runs in
      ``mode='tensor'`` too. The data samples are still passed to it
      positionally, so a ``ModuleInputs`` recorder on the student itself
      (``source=''``, ``data_idx=1``) records them, as CRD's sample indices
      need (``configs/_base_/models/crd.py``); under ``torch.no_grad()``
      when ``student_trainable=False``, as in mmrazor.

    Only the distillation losses (``distill.*``) and, when
    ``calculate_student_loss``, the student's task loss (``student.*``) are
    returned. A trainable teacher (``teacher_trainable=True``) keeps
    mmrazor's behaviour: it runs in ``mode='loss'`` and its losses are
    returned as ``teacher.*``.

    Args: those of :class:`mmrazor.models.SingleTeacherDistill`.
    """

    def loss(
        self,
        batch_inputs: torch.Tensor,
        data_samples: Optional[List[BaseDataElement]] = None,
    ) -> LossResults:
        """Run the teacher, then the student, then the distillation losses.

        Args:
            batch_inputs (torch.Tensor): Shape ``(N, C, H, W)``.
            data_samples (list[BaseDataElement], optional): ``N`` samples.

        Returns:
            dict: ``student.*`` (when ``calculate_student_loss``),
            ``teacher.*`` (when ``teacher_trainable``) and ``distill.*``.
        """
        losses = dict()
        self.distiller.set_deliveries_override(False)
        with self.distiller.teacher_recorders, self.distiller.deliveries:
            if self.teacher_trainable:
                teacher_losses = self.teacher(
                    batch_inputs, data_samples, mode='loss')
                losses.update(add_prefix(teacher_losses, 'teacher'))
            else:
                with torch.no_grad():
                    self.teacher(batch_inputs, mode='tensor')

        self.distiller.set_deliveries_override(True)
        with self.distiller.student_recorders, self.distiller.deliveries:
            if self.calculate_student_loss:
                student_losses = self.student(
                    batch_inputs, data_samples, mode='loss')
                losses.update(add_prefix(student_losses, 'student'))
            else:
                with torch.set_grad_enabled(self.student_trainable and
                                            torch.is_grad_enabled()):
                    self.student(batch_inputs, data_samples, mode='tensor')

        if not self.distillation_stopped:
            losses.update(
                add_prefix(self.distiller.compute_distill_losses(),
                           'distill'))
        return losses

    def train(self, mode: bool = True) -> 'FrozenTeacherDistill':
        """Train the student; keep a frozen teacher entirely in eval mode
        (BatchNorm statistics and dropout)."""
        super().train(mode)
        if not self.teacher_trainable:
            self.teacher.eval()
        return self
