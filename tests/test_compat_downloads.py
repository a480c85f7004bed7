"""Checkpoints by URL (compat fix 4): a download that fails names the URL,
the file torch.hub would read instead, and the local-file override; the
loaders' names read well in mmengine's "Loads checkpoint by ... backend"
line."""
import os.path as osp
import urllib.error

import pytest
import torch
from mmengine.runner.checkpoint import CheckpointLoader

import mmdccd  # noqa: F401
from tests.utils import REPO_ROOT, load_tool, make_image_folder

RESNET50 = 'https://download.pytorch.org/models/resnet50-11ad3fa6.pth'


def offline(monkeypatch, tmp_path):
    """No network, and an empty torch.hub cache."""

    def no_network(url, *args, **kwargs):
        raise urllib.error.URLError(
            '[Errno -3] Temporary failure in name resolution')

    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))
    monkeypatch.setattr(torch.hub, 'download_url_to_file', no_network)
    return osp.join(str(tmp_path / 'torch_home'), 'hub', 'checkpoints',
                    'resnet50-11ad3fa6.pth')


def test_loader_names_in_mmengines_log_line():
    # mmengine logs f'Loads checkpoint by {loader.__name__[10:]} backend'
    names = {
        path: CheckpointLoader._get_checkpoint_loader(path).__name__[10:]
        for path in ('work_dirs/a/epoch_1.pth', RESNET50)
    }
    assert names == {
        'work_dirs/a/epoch_1.pth': 'local_weights_only',
        RESNET50: 'http_weights_only',
    }


def test_failed_download_names_url_cache_and_override(tmp_path,
                                                     monkeypatch):
    cached = offline(monkeypatch, tmp_path)
    with pytest.raises(OSError) as info:
        CheckpointLoader.load_checkpoint(RESNET50, map_location='cpu')
    message = str(info.value)
    assert message.startswith(
        f'could not download the checkpoint {RESNET50} (<urlopen error '
        '[Errno -3] Temporary failure in name resolution>).')
    assert f'either put it at {cached} (read instead of downloading)' \
        in message
    assert 'give its local path in place of the URL (in the config, or ' \
        'with --cfg-options KEY=PATH' in message
    assert isinstance(info.value.__cause__, urllib.error.URLError)


def test_readme_step_1_offline(tmp_path, monkeypatch):
    """The user's path: README "Your own data", step 1, with the images in
    data/my_dataset and no network for torchvision's ImageNet weights."""
    cached = offline(monkeypatch, tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv('LOCAL_RANK', raising=False)
    make_image_folder('data/my_dataset', num_train=1, num_val=1)
    train = load_tool('train.py')
    with pytest.raises(OSError, match=(
            rf'could not download the checkpoint {RESNET50} .* put it at '
            rf'{cached} .* model.init_cfg.checkpoint')):
        train.main([
            osp.join(REPO_ROOT, 'configs/any_pair/r50-tv_folder_finetune.py')
        ])
