"""tools/train.py --amp on a GPU: fp16 training iterations of the shipped
DCCD configs (views from DualView and drawn on the GPU) on CIFAR-100
pickles written to a temporary folder."""
import math
import re

import pytest

from tests.test_configs.config_utils import write_tiny_cifar100
from tests.utils import run_tool

LOSSES = ('student.loss', 'distill.loss_kd', 'distill.loss_dkd',
          'distill.loss_ccd')


def tiny_cifar_options(root: str, batch_size: int = 8):
    """``--cfg-options`` for one short epoch on the generated pickles."""
    options = ['train_cfg.max_epochs=1', 'default_hooks.logger.interval=1',
               'model.teacher_ckpt=None']
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        options += [
            f'{loader}.dataset.data_root={root}',
            f'{loader}.dataset.verify_md5=False',
            f'{loader}.batch_size={batch_size}', f'{loader}.num_workers=0',
            f'{loader}.persistent_workers=False'
        ]
    return options


@pytest.mark.cuda
@pytest.mark.parametrize('config', [
    'configs/dccd/r56_r20_c100.py', 'configs/dccd/r56_r20_c100_dualview.py'
])
def test_fp16_amp_iterations(config, tmp_path):
    root = write_tiny_cifar100(str(tmp_path / 'cifar100'), num_train=32,
                               num_test=8)
    out = run_tool([
        'tools/train.py', config, '--amp', '--work-dir',
        str(tmp_path / 'work'), '--cfg-options', *tiny_cifar_options(root)
    ]).stdout
    assert "type='AmpOptimWrapper'" in out
    lines = re.findall(r'Epoch\(train\)\s+\[1\]\[\s*\d+/4\].*', out)
    assert len(lines) == 4, out[-3000:]
    for line in lines:
        for name in LOSSES:
            value = float(re.search(rf'{re.escape(name)}: (\S+)',
                                    line).group(1))
            assert math.isfinite(value), line
    assert re.search(r'Epoch\(val\).*accuracy/top1', out)
