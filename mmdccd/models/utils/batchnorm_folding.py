"""Fold each BatchNorm into the convolution it directly follows, for a
network that only infers.

In eval mode a BatchNorm is an affine map of its input, channel by channel:

.. math::
    \\mathrm{BN}(y) = \\gamma \\frac{y - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}}
    + \\beta_{bn}

so after a convolution :math:`y = W * x + b` it is the convolution with
:math:`W' = W \\gamma / \\sqrt{\\sigma^2 + \\epsilon}` and
:math:`b' = (b - \\mu) \\gamma / \\sqrt{\\sigma^2 + \\epsilon} + \\beta_{bn}`
(``torch.nn.utils.fusion.fuse_conv_bn_eval`` computes them). The result
equals the original to float rounding, with one pass over the activations
fewer a pair.

The pairs are found by running the network once with hooks, not by
``torch.fx`` (VGG's and ShuffleNet's forwards do not trace): a BatchNorm is
folded into a convolution when its input *is* that convolution's output
tensor and nothing else makes a tensor from that output (counted with a
``TorchFunctionMode``: a residual sum, an in-place activation or a second
branch reading the convolution's output keeps the pair apart, as in the
pre-activation blocks of wide ResNets). Modules named in ``keep`` (those a
recorder listens to), their parents' inputs and outputs, and modules
called more than once are left as they are. timm's ``BatchNormAct2d``
folds its BatchNorm part and keeps its dropout and activation.
"""
import collections
import copy
from typing import Dict, Iterable, List, Optional, Tuple

import torch
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval
from torch.overrides import TorchFunctionMode
from torch.utils._pytree import tree_leaves

#: Convolutions that fold: those whose forward is PyTorch's own (a weight
#: standardising ``StdConv2d`` or a padding ``Conv2dSame`` does not).
CONVS = (nn.Conv1d, nn.Conv2d, nn.Conv3d)
#: BatchNorms whose eval forward is the affine map above.
BATCHNORMS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d,
              nn.SyncBatchNorm)


class ActAfterFold(nn.Module):
    """What remains of timm's ``BatchNormAct2d`` once its BatchNorm is
    folded: its dropout and activation, under the same names.

    Args:
        drop (nn.Module): The ``drop`` module.
        act (nn.Module): The ``act`` module.
    """

    def __init__(self, drop: nn.Module, act: nn.Module) -> None:
        super().__init__()
        self.drop, self.act = drop, act

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``act(drop(x))``, as ``BatchNormAct2d`` after its BatchNorm."""
        return self.act(self.drop(x))


def _norm_act_type() -> Optional[type]:
    """timm's ``BatchNormAct2d`` where timm is installed."""
    try:
        from timm.layers import BatchNormAct2d
    except ImportError:
        return None
    return BatchNormAct2d


def _foldable(module: nn.Module, norm_act: Optional[type]) -> str:
    """``'conv'``, ``'bn'``, ``'bn_act'`` or ``''``."""
    if isinstance(module, CONVS) and type(module).forward in (
            nn.Conv1d.forward, nn.Conv2d.forward, nn.Conv3d.forward):
        return 'conv'
    if norm_act is not None and type(module) is norm_act:
        kind = 'bn_act'
    elif type(module) in BATCHNORMS:
        kind = 'bn'
    else:
        return ''
    stats = module.track_running_stats and module.running_mean is not None
    return kind if stats else ''


class _TensorUses(TorchFunctionMode):
    """Counts, for each tensor, the calls that make a tensor from it (each
    tensor is held until the end, so no ``id`` is reused)."""

    def __init__(self) -> None:
        super().__init__()
        self.uses: collections.Counter = collections.Counter()
        self.held: List[torch.Tensor] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        if any(isinstance(o, torch.Tensor) for o in tree_leaves(out)):
            for arg in tree_leaves((args, kwargs)):
                if isinstance(arg, torch.Tensor):
                    self.uses[id(arg)] += 1
                    self.held.append(arg)
        return out


def _tensors(value) -> List[torch.Tensor]:
    return [v for v in tree_leaves(value) if isinstance(v, torch.Tensor)]


def foldable_pairs(model: nn.Module,
                   run: 'callable',
                   keep: Iterable[str] = ()) -> List[Tuple[str, str]]:
    """The ``(conv, batchnorm)`` module names that fold, from one run.

    Args:
        model (nn.Module): The network, in eval mode.
        run (callable): Runs ``model`` once (e.g. ``lambda: model(x)``).
        keep (Iterable[str]): Module names whose inputs, outputs and
            parameters must not change (a recorder's sources).

    Returns:
        list[tuple[str, str]]: The pairs, in execution order.
    """
    keep = set(keep)
    norm_act = _norm_act_type()
    calls: Dict[str, List[Tuple[List[torch.Tensor], object]]] = (
        collections.defaultdict(list))
    handles = []
    for name, module in model.named_modules():

        def hook(module, args, output, name=name):
            calls[name].append((_tensors(args), output))

        handles.append(module.register_forward_hook(hook))
    uses = _TensorUses()
    try:
        with torch.no_grad(), uses:
            run()
    finally:
        for handle in handles:
            handle.remove()
    # tensors a kept module (or a parent of one) sees must stay as they are
    kept_tensors = set()
    for name, module_calls in calls.items():
        if any(k == name or k.startswith(name + '.') or not name
               for k in keep):
            for args, output in module_calls:
                kept_tensors.update(id(t) for t in args + _tensors(output))
    modules = dict(model.named_modules())
    conv_of = {}  # id(output) -> conv name, for convs called once
    for name, module_calls in calls.items():
        if _foldable(modules[name], norm_act) == 'conv' and len(
                module_calls) == 1:
            conv_of[id(module_calls[0][1])] = name
    pairs = []
    for name, module_calls in calls.items():
        if not _foldable(modules[name], norm_act).startswith('bn') or len(
                module_calls) != 1 or not module_calls[0][0]:
            continue
        x = module_calls[0][0][0]
        conv = conv_of.get(id(x))
        blocked = conv is None or uses.uses[id(x)] != 1 or id(
            x) in kept_tensors or any(
                k in (conv, name) or k.startswith(name + '.')
                or k.startswith(conv + '.') for k in keep)
        if not blocked and modules[conv].out_channels == modules[
                name].num_features:
            pairs.append((conv, name))
    return pairs


def _fused(conv: nn.Module, norm: nn.Module) -> nn.Module:
    """``fuse_conv_bn_eval`` computed in float64 (one rounding a weight)
    where the device has it, then in the convolution's dtype."""
    dtype = conv.weight.dtype
    if conv.weight.device.type not in ('cpu', 'cuda'):
        return fuse_conv_bn_eval(conv, norm)
    wide = fuse_conv_bn_eval(
        copy.deepcopy(conv).double(),
        copy.deepcopy(norm).double())
    return wide.to(dtype)


def _set(model: nn.Module, name: str, module: nn.Module) -> None:
    parent, _, attr = name.rpartition('.')
    setattr(model.get_submodule(parent), attr, module)


def fold_batchnorms(model: nn.Module,
                    run: 'callable',
                    keep: Iterable[str] = ()) -> List[Tuple[str, str]]:
    """Fold, in place, each BatchNorm that directly follows a convolution
    (:func:`foldable_pairs`) into it; the BatchNorm becomes ``nn.Identity``
    (timm's ``BatchNormAct2d``: :class:`ActAfterFold`). The model must be
    in eval mode: training would need the batch statistics.

    Args:
        model (nn.Module): The network, in eval mode.
        run (callable): Runs ``model`` once, to find the pairs.
        keep (Iterable[str]): Module names left as they are.

    Returns:
        list[tuple[str, str]]: The folded ``(conv, batchnorm)`` names.
    """
    if any(m.training for m in model.modules()):
        raise ValueError('fold_batchnorms needs the model in eval mode '
                         '(BatchNorm with its running statistics); call '
                         'model.eval() first.')
    pairs = foldable_pairs(model, run, keep)
    for conv, bn in pairs:
        norm = model.get_submodule(bn)
        _set(model, conv, _fused(model.get_submodule(conv), norm))
        _set(model, bn, ActAfterFold(norm.drop, norm.act)
             if _foldable(norm, _norm_act_type()) == 'bn_act' else
             nn.Identity())
    return pairs
