"""Where a classifier's pooled feature and logits come from, and how wide.

DCCD records two things of each network (paper eq. 14): the logits (for KD
and DKD) and the pooled penultimate feature (for CCD, eqs. 3-5), whose width
``d`` also sets the CCD weight. This module finds both for any classifier
(mmpretrain, timm, torchvision, ViTs included) by one dry forward:

- the **logits source** is the innermost module whose output is the
  network's output (``head.fc`` of an mmpretrain ``LinearClsHead``,
  ``head.layers.head`` of a ViT head, ``model.head`` of a timm ViT,
  ``model.fc`` of a timm ResNet, ``model.classifier.1`` of torchvision's
  MobileNetV2);
- the **feature source** is the module whose *input* is the feature: the
  logits module itself, or the first pass-through module (``nn.Dropout``,
  ``nn.Identity``) feeding it, so that dropout in train mode does not reach
  the CCD statistics;
- the **width** is that input's size ``C`` of shape ``(N, C)``.

The dry forward runs at an input size the model declares (a ViT's
``img_size``, timm's ``pretrained_cfg``) or else 32 then 224 pixels, on two
rows of zeros, in eval mode and under ``torch.no_grad()``; every module's
train flag is restored afterwards, so BatchNorm statistics and train mode
are left as they were.
"""
import contextlib
import copy
from dataclasses import dataclass
from typing import Callable, Iterator, List, Optional, Sequence, Tuple, Union

import torch
from torch import nn

#: Input sizes tried, in order, for a model that declares none.
FALLBACK_INPUT_SIZES = ((32, 32), (224, 224))
#: Modules that pass their input through in eval mode.
PASS_THROUGH = (nn.Dropout, nn.Identity)

SizeLike = Union[int, Sequence[int]]


@dataclass(frozen=True)
class ModuleCall:
    """One module's call in a dry forward, in completion order.

    Args:
        name (str): The module's name in ``model.named_modules()``.
        module (nn.Module): The module.
        input (torch.Tensor, optional): Its first positional input, if a
            tensor.
        output (torch.Tensor, optional): Its output, if a tensor.
    """
    name: str
    module: nn.Module
    input: Optional[torch.Tensor]
    output: Optional[torch.Tensor]

    @staticmethod
    def shape(tensor: Optional[torch.Tensor]) -> str:
        """``(N, C, ...)`` of a tensor, ``-`` for a non-tensor."""
        return '-' if tensor is None else str(tuple(tensor.shape))

    def __str__(self) -> str:
        return (f'{self.name}  [{type(self.module).__name__}]  in '
                f'{self.shape(self.input)} -> out {self.shape(self.output)}')


@dataclass(frozen=True)
class FeatureSources:
    """The recorders DCCD uses for one network.

    Args:
        feat_source (str): Module whose first input is the pooled feature
            (a ``ModuleInputs`` recorder).
        logits_source (str): Module whose output is the logits (a
            ``ModuleOutputs`` recorder).
        feat_dim (int): Width ``C`` of the pooled feature.
    """
    feat_source: str
    logits_source: str
    feat_dim: int


def to_size(size: SizeLike) -> Tuple[int, int]:
    """``224``, ``[224]`` or ``(224, 224)`` -> ``(224, 224)``."""
    size = (size, ) if isinstance(size, int) else tuple(size)
    size = size * 2 if len(size) == 1 else size
    if len(size) != 2 or not all(isinstance(s, int) and s > 0 for s in size):
        raise ValueError(f'expected an input size H or (H, W) of positive '
                         f'ints, got {size!r}.')
    return size


def declared_input_size(model: nn.Module) -> Optional[Tuple[int, int]]:
    """The input size a model states, if any: an ``img_size`` (the patch
    embeddings of mmpretrain's and timm's ViTs, DeiT and Swin), an
    ``image_size`` (torchvision's ViT), else timm's
    ``pretrained_cfg['input_size']``."""
    for module in model.modules():
        for attr in ('img_size', 'image_size'):
            size = getattr(module, attr, None)
            if isinstance(size, int) or (isinstance(size, (tuple, list))
                                         and len(size) == 2):
                return to_size(tuple(size) if isinstance(size, list) else
                               size)
    for module in model.modules():
        cfg = getattr(module, 'pretrained_cfg', None)
        if isinstance(cfg, dict) and 'input_size' in cfg:
            return to_size(tuple(cfg['input_size'][-2:]))
    return None


def declared_in_channels(model: nn.Module) -> int:
    """Input channels of a model: what its first module that declares them
    (``min_in_channels``, e.g. :class:`ChannelSelectBackbone`) needs, else
    those of its first convolution (a Fashion-MNIST network's 1, a ViT's
    patch embedding's 3), else 3."""
    for module in model.modules():
        if isinstance(getattr(module, 'min_in_channels', None), int):
            return module.min_in_channels
        if isinstance(module, nn.modules.conv._ConvNd):
            return module.in_channels
    return 3


@contextlib.contextmanager
def inference_mode_of(model: nn.Module) -> Iterator[None]:
    """Eval mode and no gradients inside; every module's own ``training``
    flag restored on exit (a frozen teacher stays in eval, a student in
    train). Eval mode means BatchNorm statistics are not updated."""
    flags = [(m, m.training) for m in model.modules()]
    model.eval()
    try:
        with torch.no_grad():
            yield
    finally:
        for module, training in flags:
            module.training = training


def _first_tensor(value) -> Optional[torch.Tensor]:
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, (tuple, list)) and value and isinstance(
            value[0], torch.Tensor):
        return value[0]
    return None


def _call(model: nn.Module, inputs: torch.Tensor):
    """``model(inputs, mode='tensor')`` for an mmengine model, else
    ``model(inputs)``."""
    from mmengine.model import BaseModel
    if isinstance(model, BaseModel):
        return model(inputs, mode='tensor')
    return model(inputs)


def trace_modules(
    model: nn.Module,
    input_size: Optional[SizeLike] = None,
    in_channels: Optional[int] = None,
    batch_size: int = 2,
) -> Tuple[List[ModuleCall], torch.Tensor]:
    """Run one dry forward and record every module call.

    Args:
        model (nn.Module): The classifier.
        input_size (int | Sequence[int], optional): ``H`` or ``(H, W)``.
            Defaults to None: the declared size, else 32 then 224 pixels.
        in_channels (int, optional): Input channels. Defaults to None
            (:func:`declared_in_channels`).
        batch_size (int): Rows of the zero input. Defaults to 2.

    Returns:
        tuple[list[ModuleCall], Tensor]: The calls in completion order
        (modules called more than once are left out: a recorder would see
        several records) and the network's output.

    Raises:
        ValueError: If the model runs at none of the sizes tried.
    """
    if input_size is None:
        declared = declared_input_size(model)
        sizes = [declared] if declared else list(FALLBACK_INPUT_SIZES)
    else:
        sizes = [to_size(input_size)]
    if in_channels is None:
        in_channels = declared_in_channels(model)
    names = {module: name for name, module in model.named_modules()}
    device = next(model.parameters(), torch.zeros(())).device
    errors = []
    for size in sizes:
        calls: List[ModuleCall] = []
        seen = {}

        def hook(module, args, output):
            seen[module] = seen.get(module, 0) + 1
            calls.append(
                ModuleCall(names[module], module, _first_tensor(args),
                           _first_tensor(output)))

        handles = [
            m.register_forward_hook(hook) for m in names if m is not model
        ]
        try:
            with inference_mode_of(model):
                output = _call(
                    model,
                    torch.zeros(batch_size, in_channels, *size,
                                device=device))
        except Exception as error:  # the next size may work
            errors.append(f'{size}: {type(error).__name__}: {error}')
            continue
        finally:
            for handle in handles:
                handle.remove()
        calls = [c for c in calls if seen[c.module] == 1]
        return calls, _first_tensor(output)
    raise ValueError(
        f'could not run {type(model).__name__} on a zero batch of input '
        f'size {" or ".join(map(str, sizes))}: {"; ".join(errors)}. '
        'Give the input size the model accepts (DCCD: teacher_input_size), '
        'or set the *_feat_dim and *_feat_source/*_logits_source '
        'arguments.')


def _candidates(calls: Sequence[ModuleCall], ok: Callable) -> str:
    lines = [f'  {call}' for call in calls if ok(call)]
    return '\n'.join(lines) if lines else '  (none)'


def _lookup(calls: Sequence[ModuleCall], name: str, what: str,
            ok: Callable) -> ModuleCall:
    for call in calls:
        if call.name == name:
            if not ok(call):
                break
            return call
    raise ValueError(
        f'{what} {name!r} is not a module that ran once in the forward with '
        'a 2-D (rows, channels) tensor there. Modules that qualify:\n'
        f'{_candidates(calls, ok)}\n'
        'Run tools/analysis_tools/list_modules.py CONFIG to see every '
        'module with its shapes.')


def find_feature_sources(model: Union[nn.Module, dict],
                         feat_source: Optional[str] = None,
                         logits_source: Optional[str] = None,
                         feat_dim: Optional[int] = None,
                         input_size: Optional[SizeLike] = None,
                         side: str = 'model',
                         build: Optional[Callable[[dict], nn.Module]] = None
                         ) -> FeatureSources:
    """Fill in a network's feature and logits sources and its width.

    Given sources are checked, missing ones found (see the module
    docstring). When both sources are given and the feature source is an
    ``nn.Linear``, the width is its ``in_features`` (no forward); when
    everything is given, nothing runs.

    A config (a dict) is built into a throw-away copy with a forked random
    state, so the caller's random stream, and so every later
    initialisation, is exactly as if the copy had never been built. The
    copy is built on the ``meta`` device first (no memory, no
    initialisation: a ViT-B costs a second, not twenty); a model that
    cannot be built or run there is built on the CPU.

    Args:
        model (nn.Module | dict): The classifier, or its config.
        feat_source (str, optional): Module whose first input is the pooled
            feature. Defaults to None (found).
        logits_source (str, optional): Module whose output is the logits.
            Defaults to None (found).
        feat_dim (int, optional): The feature width. Defaults to None
            (found).
        input_size (int | Sequence[int], optional): Input size of the dry
            forward. Defaults to None (see :func:`trace_modules`).
        side (str): ``'student'`` or ``'teacher'``, for error messages.
            Defaults to ``'model'``.
        build (Callable[[dict], nn.Module], optional): A registry's
            ``build``, for a config. Defaults to None.

    Returns:
        FeatureSources: The sources and the width.

    Raises:
        ValueError: If a source cannot be found or does not hold a 2-D
            tensor, or a given width differs from the feature's.
    """
    given = feat_source is not None and logits_source is not None
    if given and feat_dim is not None:
        return FeatureSources(feat_source, logits_source, feat_dim)
    if isinstance(model, dict):
        return _find_on_a_copy(model, build, feat_source, logits_source,
                               feat_dim, input_size, side)
    layer = dict(model.named_modules()).get(feat_source)
    if given and isinstance(layer, nn.Linear):
        return FeatureSources(feat_source, logits_source, layer.in_features)

    calls, output = trace_modules(model, input_size)
    two_d_in = lambda c: c.input is not None and c.input.dim() == 2  # noqa
    two_d_out = lambda c: c.output is not None and c.output.dim() == 2  # noqa
    if logits_source is None:
        producers = [c for c in calls if c.output is output]
        if output is None or output.dim() != 2 or not producers:
            raise ValueError(
                f'could not find the {side} logits: expected a module whose '
                'output is the network output of shape (rows, classes), '
                f'found output {ModuleCall.shape(output)}. Set '
                f'{side}_logits_source to one of:\n'
                f'{_candidates(calls, two_d_out)}')
        logits_call = producers[0]  # the innermost: it completes first
    else:
        logits_call = _lookup(calls, logits_source,
                              f'{side}_logits_source', two_d_out)

    if feat_source is None:
        feat_call = logits_call
        producers = [
            c for c in calls if c.output is feat_call.input
            and isinstance(c.module, PASS_THROUGH)
        ]
        if producers:  # record before dropout: the earliest pass-through
            feat_call = producers[0]
        if not two_d_in(feat_call):
            raise ValueError(
                f'could not find the {side} pooled feature: the input of '
                f'the logits module {logits_call.name!r} is '
                f'{ModuleCall.shape(feat_call.input)}, not (rows, channels). '
                f'Set {side}_feat_source to a module whose input is the '
                f'pooled feature:\n{_candidates(calls, two_d_in)}')
    else:
        feat_call = _lookup(calls, feat_source, f'{side}_feat_source',
                            two_d_in)
    found_dim = feat_call.input.shape[1]
    if feat_dim is not None and feat_dim != found_dim:
        raise ValueError(
            f'{side}_feat_dim is {feat_dim} but the input of '
            f'{feat_call.name!r} is {ModuleCall.shape(feat_call.input)}: '
            f'set {side}_feat_dim={found_dim} or leave it out.')
    return FeatureSources(feat_call.name, logits_call.name, found_dim)


def _find_on_a_copy(cfg: dict, build: Callable[[dict], nn.Module],
                    *args) -> FeatureSources:
    """:func:`find_feature_sources` on a copy built from ``cfg``: on the
    ``meta`` device if the model builds and runs there, else on the CPU;
    the random state forked either way."""
    if build is None:
        raise ValueError('a network config needs a build function (a '
                         "registry's build) to be probed.")
    with torch.random.fork_rng(devices=[]):
        try:
            with torch.device('meta'):
                model = build(copy.deepcopy(cfg))
            return find_feature_sources(model, *args)
        except Exception:  # e.g. .item() at build time; the CPU tells
            pass
        return find_feature_sources(build(copy.deepcopy(cfg)), *args)
