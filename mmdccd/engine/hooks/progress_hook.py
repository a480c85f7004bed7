"""Short progress lines on stdout, and the validation curve."""
import time
from typing import Dict, List, Optional, Tuple

import torch
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS


@HOOKS.register_module()
class ProgressHook(Hook):
    """Print short progress lines and keep the validation curve.

    For runs whose log level hides mmengine's logger (the demo and its
    sweep): one line every ``interval`` training iterations (the summed
    losses, the learning rate, the seconds since training began) and one a
    validation (top-1), which is also appended to :attr:`curve`.

    Args:
        stage (str): Name printed in front of every line.
        interval (int): Print the training loss every ``interval``
            iterations. Defaults to 50.
    """

    priority = 'LOW'

    def __init__(self, stage: str, interval: int = 50) -> None:
        self.stage = stage
        self.interval = interval
        #: ``[(iteration, val top-1 in %)]``, one entry a validation.
        self.curve: List[Tuple[int, float]] = []
        self.start = time.time()

    def before_train(self, runner) -> None:
        self.start = time.time()

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs: Optional[Dict] = None) -> None:
        it = runner.iter + 1
        if it % self.interval == 0 or it == runner.max_iters:
            loss = sum(
                float(torch.as_tensor(v).detach())
                for k, v in (outputs or {}).items() if 'loss' in k)
            lr = runner.optim_wrapper.get_lr()['lr'][0]
            print(f'[{self.stage}] iter {it}/{runner.max_iters} loss '
                  f'{loss:.3f} lr {lr:.4f} ({time.time() - self.start:.0f} s)',
                  flush=True)

    def after_val_epoch(self, runner, metrics: Optional[Dict] = None) -> None:
        if runner.train_loop is None or not metrics:
            return
        top1 = float(metrics['accuracy/top1'])
        self.curve.append((runner.iter, top1))
        print(f'[{self.stage}] iter {runner.iter} val top-1 {top1:.2f} %',
              flush=True)
