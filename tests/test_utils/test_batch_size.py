"""The batch rule said out loud: a run whose total batch differs from
``auto_scale_lr.base_batch_size`` without --auto-scale-lr is warned at
start, naming both numbers and the flag."""
import glob
import os.path as osp

from mmdccd.utils.batch_size import batch_size_warning
from tests.utils import (REPO_ROOT, config_path, data_root_options,
                         forget_run_loggers, load_tool)

train_tool = load_tool('train.py')
IMAGENET = osp.join(REPO_ROOT, 'configs', 'dccd', 'r34_r18_in1k.py')


def config(argv):
    """The config tools/train.py trains for ``argv``."""
    args = train_tool.parse_args(argv)
    return train_tool.merge_args(train_tool.load_config(args), args)


def test_imagenet_recipe_on_a_batch_of_8():
    # the user's path: lr 0.1 for 8 x 32 = 256 images, run on one process
    # of 8 images
    cfg = config([IMAGENET, '--cfg-options', 'train_dataloader.batch_size=8'])
    assert cfg.optim_wrapper.optimizer.lr == 0.1
    assert batch_size_warning(cfg, world_size=1) == (
        'the total batch is 8 images (1 process x '
        'train_dataloader.batch_size=8), but the lr was set for '
        'auto_scale_lr.base_batch_size=256, and --auto-scale-lr is off: '
        'the lr is used as written, for a batch 32 times this one. Pass '
        '--auto-scale-lr to scale the lr by 8/256, or make processes x '
        'batch size 256.')
    assert 'the total batch is 64 images (2 processes x' in \
        batch_size_warning(config([IMAGENET]), world_size=2)


def test_no_warning_on_the_recipe_batch_or_with_the_flag():
    assert batch_size_warning(config([IMAGENET]), world_size=8) is None
    scaled = config([IMAGENET, '--auto-scale-lr', '--cfg-options',
                     'train_dataloader.batch_size=8'])
    assert batch_size_warning(scaled, world_size=1) is None


def test_train_warns_at_start(image_folder, tmp_path):
    work_dir = str(tmp_path)
    forget_run_loggers()  # an earlier test's run of this config, this second
    train_tool.main([
        config_path('tiny_dccd.py'), '--work-dir', work_dir,
        '--cfg-options', *data_root_options(image_folder),
        'train_cfg.max_iters=1', 'auto_scale_lr.base_batch_size=64'
    ])
    (log, ) = glob.glob(osp.join(work_dir, '*', '*.log'))
    with open(log) as f:
        text = f.read()
    warning = ('WARNING - the total batch is 4 images (1 process x '
               'train_dataloader.batch_size=4), but the lr was set for '
               'auto_scale_lr.base_batch_size=64, and --auto-scale-lr is off')
    assert warning in text
    assert text.index(warning) < text.index('Iter(train) [1/1]')
