"""The frozen teacher at inference speed: an unregistered copy with its
BatchNorms folded, in channels_last where that is faster."""
import copy
import time
from typing import Callable, Dict, List, Optional, Tuple, Union

import torch
from mmengine.logging import MMLogger
from torch import nn

from .batchnorm_folding import fold_batchnorms

#: Relative difference (to the largest output) above which a folded copy
#: is not used: float rounding gives 1e-8 to 1e-5 (deep random networks).
TOLERANCE = 1e-3


def module_recorders(recorders) -> List:
    """The recorders of a ``RecorderManager`` that hook modules or read
    parameters of the model they are initialised on (a method's or a
    function's recorder patches the code itself, for every model)."""
    from mmrazor.models.task_modules.recorder import (ModuleOutputsRecorder,
                                                      ParameterRecorder)
    return [
        r for r in recorders.recorders.values()
        if isinstance(r, (ModuleOutputsRecorder, ParameterRecorder))
    ]


#: The hook tables of an ``nn.Module``.
HOOK_TABLES = ('_forward_pre_hooks', '_forward_pre_hooks_with_kwargs',
               '_forward_hooks', '_forward_hooks_with_kwargs',
               '_forward_hooks_always_called')


def _remove_hooks(module: nn.Module, keys) -> None:
    for table in HOOK_TABLES:
        for key in keys:
            getattr(module, table).pop(key, None)


def _hooks(module: nn.Module):
    """``(key, hook)`` of every forward and forward-pre hook."""
    return [*module._forward_pre_hooks.items(),
            *module._forward_hooks.items()]


def held_hooks(model: nn.Module) -> Dict[str, Dict[str, dict]]:
    """Take the forward hooks off ``model`` (a deep copy's: users' hooks,
    which must not see the copy being made): ``{module name: {table:
    hooks}}`` for :func:`restore_hooks`. The hooks of mmrazor recorders are
    dropped for good (the recorders are initialised on the copy again) and
    :class:`TeacherInput`'s are attached again, one copy of its own."""
    from mmrazor.models.task_modules.recorder.base_recorder import \
        BaseRecorder
    held, inputs = {}, []
    for name, module in model.named_modules():
        drop, ours = [], []
        for key, hook in _hooks(module):
            if isinstance(getattr(hook, '__self__', None), BaseRecorder):
                drop.append(key)
            elif hasattr(hook, 'teacher_input'):
                drop.append(key)
                if hook.teacher_input not in inputs:
                    inputs.append(hook.teacher_input)
                    ours.append(hook.teacher_input)
        _remove_hooks(module, drop)
        if any(getattr(module, t) for t in HOOK_TABLES):
            held[name] = {
                t: dict(getattr(module, t))
                for t in HOOK_TABLES
            }
            _remove_hooks(module, held[name]['_forward_pre_hooks'])
            _remove_hooks(module, held[name]['_forward_hooks'])
        for teacher_input in ours:
            teacher_input.attach(module)
    return held


def restore_hooks(model: nn.Module, held: Dict[str, Dict[str,
                                                         dict]]) -> None:
    """Put back the hooks :func:`held_hooks` took (their modules are never
    folded away)."""
    for name, tables in held.items():
        module = model.get_submodule(name)
        for table, hooks in tables.items():
            getattr(module, table).update(hooks)


def channels_last_default(device: torch.device) -> bool:
    """Whether the copy runs in ``torch.channels_last`` by default: on CUDA
    (cuDNN's tensor-core kernels are NHWC). On the CPU it is an option
    (``fast_teacher=dict(channels_last=True)``): oneDNN's NHWC convolutions
    made the folded forward 13-23 % faster on a quiet machine (resnet56,
    resnet32x4, VGG13, ResNet-50; ``docs/benchmarks.md``), but their
    rounding puts a torchvision resnet18's logits up to 1.1e-5 of the
    largest from the eager teacher's, beyond the 1e-5 the default path is
    held to (as close to the float64 result as the eager teacher, though)."""
    return device.type == 'cuda'


def _leaves(value) -> List[torch.Tensor]:
    from torch.utils._pytree import tree_leaves
    return [v for v in tree_leaves(value) if isinstance(v, torch.Tensor)]


class FastTeacher:
    """An inference copy of a frozen teacher, made lazily and kept in step
    with it.

    The registered teacher (its ``teacher.*`` state-dict keys and values,
    so checkpoints, resume and strict teacher loading) is untouched; this
    object holds, outside the module tree, a deep copy in eval mode without
    gradients in which each BatchNorm that directly follows a convolution
    is folded into it (:func:`~.batchnorm_folding.fold_batchnorms`), in
    ``channels_last`` where that is faster, optionally compiled
    (``nn.Module.compile``, in place). The copy is made at the first call,
    from the weights then loaded, and made again when any tensor of the
    teacher has changed since (a ``load_state_dict``, a device move: each
    tensor's version counter and address are compared, about 20 us for a
    resnet32x4 on a slow CPU).

    The copy carries copies of the teacher's forward hooks; those of the
    mmrazor recorders are removed and the recorders that hook modules are
    initialised again on the copy, so they record the copy's forward.
    Other hooks (such as :class:`TeacherInput`'s) are kept: they are the
    same functions on both. The modules the recorders listen to are never
    folded away, and the copy's outputs are checked against the teacher's
    on one row when it is made: beyond :data:`TOLERANCE` of the largest
    output, a warning is logged and the copy runs unfolded.

    It runs under ``torch.no_grad()`` (not ``torch.inference_mode()``: the
    CCD loss saves the teacher's features for the student's backward).

    Args:
        teacher (nn.Module): The frozen teacher (an mmengine model, called
            with ``mode='tensor'``).
        recorders: The teacher's ``RecorderManager``.
        channels_last (bool, optional): Run the copy in channels_last.
            Defaults to None (:func:`channels_last_default`).
        compile (bool | dict): Compile the copy with
            ``nn.Module.compile(**compile)``. Defaults to False.
    """

    def __init__(self,
                 teacher: nn.Module,
                 recorders,
                 channels_last: Optional[bool] = None,
                 compile: Union[bool, Dict] = False) -> None:
        self.teacher, self.recorders = teacher, recorders
        self.channels_last = channels_last
        self.compile = compile
        self.copy: Optional[nn.Module] = None
        self.folded: List[Tuple[str, str]] = []
        self._tensors: List[torch.Tensor] = []
        self._fingerprint: Tuple = ()
        self._memory_format = torch.contiguous_format

    def _state(self) -> Tuple:
        return tuple((t._version, t.data_ptr()) for t in self._tensors)

    def invalidate(self) -> None:
        """Make the copy again at the next call."""
        self.copy = None

    def module(self, inputs: torch.Tensor) -> nn.Module:
        """The up-to-date copy (made with ``inputs[:1]`` if needed)."""
        if self.copy is None or self._state() != self._fingerprint:
            # made and checked in float32, also inside an autocast region
            with torch.autocast(inputs.device.type, enabled=False):
                self._make(inputs)
        return self.copy

    def prepare(self, inputs: torch.Tensor) -> torch.Tensor:
        """``inputs`` in the copy's memory format."""
        if inputs.dim() == 4:
            return inputs.contiguous(memory_format=self._memory_format)
        return inputs

    def __call__(self, inputs: torch.Tensor):
        """The copy's ``mode='tensor'`` forward, under ``torch.no_grad()``.

        Args:
            inputs (torch.Tensor): Shape ``(N, C, H, W)``.

        Returns:
            The teacher's tensor-mode output.
        """
        model = self.module(inputs)
        with torch.no_grad():
            return model(self.prepare(inputs), mode='tensor')

    def _plain_copy(self) -> Tuple[nn.Module, Dict]:
        """A deep copy of the teacher (the recorders not copied) in eval
        mode without gradients, and its hooks held (:func:`held_hooks`)."""
        memo = {id(r): r for r in self.recorders.recorders.values()}
        model = copy.deepcopy(self.teacher, memo)
        held = held_hooks(model)
        model.eval()
        model.requires_grad_(False)
        return model, held

    def _make(self, inputs: torch.Tensor) -> None:
        start = time.perf_counter()
        recorders = module_recorders(self.recorders)
        model, held = self._plain_copy()
        sample = inputs[:1].detach()
        call: Callable = lambda m, x: m(x, mode='tensor')  # noqa: E731
        with torch.no_grad():
            expected = call(model, sample)
        self.folded = fold_batchnorms(
            model, lambda: call(model, sample),
            [r.source for r in recorders] + list(held))
        param = next(self.teacher.parameters(), None)
        device = param.device if param is not None else inputs.device
        channels_last = channels_last_default(device) if \
            self.channels_last is None else self.channels_last
        self._memory_format = torch.channels_last if channels_last else \
            torch.contiguous_format
        model.to(memory_format=self._memory_format)
        with torch.no_grad():
            diff = self._difference(expected,
                                    call(model, self.prepare(sample)))
        if diff > TOLERANCE:  # never seen; kept as a guard
            MMLogger.get_current_instance().warning(
                f'fast teacher: the folded copy differs from the teacher by '
                f'{diff:.2e} of its largest output (more than {TOLERANCE:g}'
                '); running the teacher unfolded. Please report the '
                'teacher; model.fast_teacher=False turns this off.')
            model, held = self._plain_copy()
            model.to(memory_format=self._memory_format)
            self.folded = []
        if self.compile:
            model.compile(**(self.compile if isinstance(self.compile, dict)
                             else {}))
        restore_hooks(model, held)
        for recorder in recorders:
            recorder.initialize(model)
        self.copy = model
        self._tensors = list(self.teacher.parameters()) + list(
            self.teacher.buffers())
        self._fingerprint = self._state()
        MMLogger.get_current_instance().info(
            f'fast teacher: {len(self.folded)} BatchNorms folded, '
            f'{"channels_last" if channels_last else "contiguous"}'
            f'{", compiled" if self.compile else ""}; made in '
            f'{time.perf_counter() - start:.2f} s')

    @staticmethod
    def _difference(expected, found) -> float:
        """Largest difference of the outputs, relative to the largest
        output (``inf`` where the shapes differ)."""
        worst = 0.0
        for e, f in zip(_leaves(expected), _leaves(found)):
            if e.shape != f.shape:
                return float('inf')
            scale = e.abs().max().clamp_min(1e-12)
            worst = max(worst,
                        float((e.float() - f.float()).abs().max() / scale))
        return worst
