"""Single-teacher distillation whose frozen teacher needs no labels and
runs at inference speed."""
import time
from typing import Dict, List, Optional, Union

import torch
from mmengine.logging import MMLogger
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapper
from mmengine.structures import BaseDataElement
from mmrazor.models.algorithms import SingleTeacherDistill
from mmrazor.models.algorithms.base import LossResults
from mmrazor.models.utils import add_prefix
from mmrazor.registry import MODELS

from mmdccd.utils.arguments import strict_arguments

from ..utils.class_counts import check_logit_classes
from ..utils.fast_teacher import FastTeacher
from ..utils.teacher_checkpoint import load_teacher_checkpoint


@MODELS.register_module()
@strict_arguments
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

    The frozen teacher runs as an inference workload
    (``fast_teacher=True``, the default): an unregistered copy with each
    BatchNorm that directly follows a convolution folded into it, in
    channels_last on CUDA, kept in step with the registered teacher
    (:class:`~mmdccd.models.utils.FastTeacher`). Its outputs equal the
    teacher's to float rounding (about 1e-7 relative), so runs with and
    without it are not identical bit for bit. The registered ``teacher``,
    its ``teacher.*`` checkpoint keys and strict loading are unchanged, and
    the teacher recorders record the copy. ``compile`` compiles the
    student (and the teacher copy) in place with ``nn.Module.compile``, so
    its state-dict keys are unchanged.

    Unlike mmrazor, ``teacher_ckpt`` loads strictly
    (:func:`~mmdccd.models.utils.teacher_checkpoint.load_teacher_checkpoint`,
    ``weights_only=True``), and a logit loss (KD, DKD) between a teacher and
    a student with different class counts is refused at build time.

    Args:
        distiller (dict): The ``ConfigurableDistiller`` config.
        teacher (dict | BaseModel): The teacher classifier.
        teacher_ckpt (str, optional): The teacher's checkpoint. Defaults to
            None (the teacher keeps its initialisation).
        teacher_ckpt_strict (bool): Refuse a checkpoint whose keys or shapes
            differ from the teacher's; False loads the matching tensors on
            purpose and logs the rest. Defaults to True.
        fast_teacher (bool | dict): Run a frozen teacher as the BN-folded
            copy described above; a dict gives its options:
            ``dict(channels_last=True)`` runs it in NHWC on the CPU too,
            faster there
            (:func:`~mmdccd.models.utils.fast_teacher.channels_last_default`).
            Ignored with ``teacher_trainable=True``. Defaults to True.
        compile (bool | dict): Compile the student and the teacher copy in
            place (``nn.Module.compile(**compile)`` with a dict); the first
            ``train_step``'s time, compilation included, is logged.
            Defaults to False.
        **kwargs: Other arguments of
            :class:`mmrazor.models.SingleTeacherDistill`.
    """

    def __init__(self,
                 distiller: Dict,
                 teacher: Union[BaseModel, Dict],
                 teacher_ckpt: Optional[str] = None,
                 teacher_ckpt_strict: bool = True,
                 fast_teacher: Union[bool, Dict] = True,
                 compile: Union[bool, Dict] = False,
                 **kwargs) -> None:
        super().__init__(distiller=distiller, teacher=teacher, **kwargs)
        check_logit_classes(self.student, self.teacher,
                            self.distiller.distill_losses)
        if teacher_ckpt:
            load_teacher_checkpoint(
                self.teacher, teacher_ckpt, strict=teacher_ckpt_strict)
            # keep the loaded weights through init_weights()
            self.teacher._is_init = True
        options = fast_teacher if isinstance(fast_teacher, dict) else {}
        unknown = sorted(set(options) - {'channels_last'})
        if unknown:
            raise TypeError(
                f'fast_teacher options {unknown} are not known; the only '
                "option is 'channels_last' (e.g. fast_teacher=dict("
                'channels_last=True)).')
        self.fast_teacher = bool(fast_teacher) and not self.teacher_trainable
        # a plain attribute: the copy stays out of the module tree
        self._fast = FastTeacher(
            self.teacher, self.distiller.teacher_recorders,
            compile=compile, **options) if self.fast_teacher else None
        self._compile_pending = bool(compile)
        if compile:
            self.student.compile(**(compile if isinstance(compile, dict)
                                    else {}))

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
        teacher, teacher_inputs = self.teacher, batch_inputs
        if self._fast is not None:  # made outside the recorders' context
            teacher = self._fast.module(batch_inputs)
            teacher_inputs = self._fast.prepare(batch_inputs)
        self.distiller.set_deliveries_override(False)
        with self.distiller.teacher_recorders, self.distiller.deliveries:
            if self.teacher_trainable:
                teacher_losses = self.teacher(
                    batch_inputs, data_samples, mode='loss')
                losses.update(add_prefix(teacher_losses, 'teacher'))
            else:
                with torch.no_grad():
                    teacher(teacher_inputs, mode='tensor')

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

    def train_step(self, data: Union[dict, tuple, list],
                   optim_wrapper: OptimWrapper) -> Dict[str, torch.Tensor]:
        """mmengine's ``train_step``; with ``compile``, the first one's time
        (compilation included) is logged."""
        if not self._compile_pending:
            return super().train_step(data, optim_wrapper)
        start = time.perf_counter()
        out = super().train_step(data, optim_wrapper)
        self._compile_pending = False
        MMLogger.get_current_instance().info(
            'compiled student and teacher copy: the first train_step took '
            f'{time.perf_counter() - start:.1f} s, compilation included')
        return out

    def _load_from_state_dict(self, *args, **kwargs) -> None:
        """Load as ``nn.Module`` does, then make the fast teacher again (a
        load may have replaced the teacher's tensors)."""
        super()._load_from_state_dict(*args, **kwargs)
        if self._fast is not None:
            self._fast.invalidate()

    def train(self, mode: bool = True) -> 'FrozenTeacherDistill':
        """Train the student; keep a frozen teacher entirely in eval mode
        (BatchNorm statistics and dropout)."""
        super().train(mode)
        if not self.teacher_trainable:
            self.teacher.eval()
        return self
