"""Stop training at the first non-finite loss term, saying which."""
from typing import Dict, Optional

import torch
from mmengine.dist import all_reduce, get_rank, get_world_size
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.registry import HOOKS


@HOOKS.register_module()
class NonFiniteLossHook(Hook):
    """Raise :class:`FloatingPointError` when a logged loss term is NaN/inf.

    After every training iteration each term of the model's ``log_vars``
    (``loss``, ``student.loss``, ``distill.loss_ccd``, ...) is checked. The
    first non-finite one stops training with an error naming the terms, the
    iteration and the last finite values, before ``CheckpointHook`` (which
    runs later in the same iteration) writes NaN weights. Under DDP one
    finite flag is reduced over the ranks, so all ranks stop together and
    none hangs in the next collective. With a loss scaler (fp16 ``--amp``),
    an overflow that makes the scaler skip the step (its scale drops) is not
    an error: the weights did not change.

    On by default in ``configs/_base_/default_runtime.py``.

    Args:
        priority (str): Runs before the checkpoint and logger hooks.
            Defaults to ``'VERY_HIGH'``.
    """

    def __init__(self, priority: str = 'VERY_HIGH') -> None:
        self.priority = priority
        self._last_finite: Dict[str, torch.Tensor] = {}
        self._last_finite_iter: Optional[int] = None
        self._scale: Optional[float] = None

    @staticmethod
    def _loss_scaler(runner):
        return getattr(runner.optim_wrapper, 'loss_scaler', None)

    def before_train_iter(self, runner, batch_idx: int,
                          data_batch=None) -> None:
        scaler = self._loss_scaler(runner)
        self._scale = None if scaler is None else float(scaler.get_scale())

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        if not outputs:
            return
        terms = {
            k: torch.as_tensor(v).detach()
            for k, v in outputs.items() if 'loss' in k
        }
        bad = [k for k, v in terms.items() if not torch.isfinite(v).all()]
        flag = torch.tensor(float(not bad))
        if get_world_size() > 1:
            all_reduce(flag, op='min')
        iteration = runner.iter + 1
        if flag.item() == 1.0:
            self._last_finite = terms
            self._last_finite_iter = iteration
            return
        scaler = self._loss_scaler(runner)
        if scaler is not None and self._scale is not None and \
                float(scaler.get_scale()) < self._scale:
            print_log(
                f'iteration {iteration}: non-finite loss {bad}, the loss '
                f'scaler skipped the step (scale {self._scale:g} -> '
                f'{float(scaler.get_scale()):g})',
                logger='current')
            return
        raise FloatingPointError(self._message(bad, terms, iteration))

    def _message(self, bad, terms: Dict[str, torch.Tensor],
                 iteration: int) -> str:
        if bad:
            # blame the terms; the total is non-finite whenever one is
            named = [k for k in bad if k != 'loss'] or bad
            found = ', '.join(f'{k} = {terms[k].float().mean().item()}'
                              for k in named)
            where = f'non-finite loss at iteration {iteration}: {found}'
        else:
            where = (f'non-finite loss at iteration {iteration} on another '
                     f'rank (rank {get_rank()} is finite)')
        if self._last_finite:
            last = ', '.join(f'{k} = {v.float().mean().item():.6g}'
                             for k, v in self._last_finite.items())
            history = (f'last finite values (iteration '
                       f'{self._last_finite_iter}): {last}')
        else:
            history = 'no finite iteration before it'
        return (f'{where}; {history}. Training stopped before a checkpoint '
                'with these weights was written. Lower the lr or a loss '
                'weight, or check the inputs of that term.')
