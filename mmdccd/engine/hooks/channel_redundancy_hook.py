"""Log the channel redundancy of the (student) classifier during training."""
from typing import Dict, Optional

from mmengine.hooks import Hook
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmpretrain.registry import HOOKS

from mmdccd.evaluation import channel_redundancy, extract_pooled_features


class ChannelRedundancyHook(Hook):
    """Log the mean distance of channels from their geometric median.

    After every ``interval``-th validation, the pooled penultimate features
    of the classifier (the student of a distillation algorithm) on the first
    ``num_images`` images of the validation loader give the numbers of
    :func:`mmdccd.evaluation.channel_redundancy` (paper fig. 8b: larger
    ``mean_dist_to_gm`` is less redundant). They are logged and put in the
    message hub as ``val/redundancy/<name>`` (so the visualiser backends
    record them). With epoch-based training, validating every epoch logs the
    measure every epoch.

    Args:
        num_images (int): Validation images used. Defaults to 512.
        interval (int): Every how many validations. Defaults to 1.
    """

    priority = 'LOW'

    def __init__(self, num_images: int = 512, interval: int = 1) -> None:
        if num_images < 2 or interval < 1:
            raise ValueError('ChannelRedundancyHook needs num_images >= 2 and '
                             f'interval >= 1, got num_images={num_images}, '
                             f'interval={interval}.')
        self.num_images = num_images
        self.interval = interval
        self._count = 0

    def after_val_epoch(self, runner, metrics: Optional[Dict] = None) -> None:
        self._count += 1
        if self._count % self.interval:
            return
        feats = extract_pooled_features(runner.model, runner.val_dataloader,
                                        self.num_images)
        numbers = channel_redundancy(feats)
        for name, value in numbers.items():
            runner.message_hub.update_scalar(f'val/redundancy/{name}', value)
        runner.logger.info(
            f'channel redundancy on {feats.shape[0]} val images, '
            f'{feats.shape[1]} channels: ' +
            ', '.join(f'{k} {v:.4f}' for k, v in numbers.items()))


for _registry in (HOOKS, MMENGINE_HOOKS):
    if _registry.get('ChannelRedundancyHook') is None:
        _registry.register_module(module=ChannelRedundancyHook)
