"""tools/analysis_tools/channel_redundancy.py on a checkpoint from the
demo's quick mode."""
import json
import os.path as osp

import numpy as np
import pytest
import torch

from mmdccd.experiments import demo
from tests.test_tools.fashion_mnist_files import write_fashion_mnist
from tests.utils import REPO_ROOT, load_tool

channel_redundancy = load_tool('analysis_tools/channel_redundancy.py')


def test_channel_redundancy_on_demo_checkpoint(tmp_path):
    data_root = write_fashion_mnist(str(tmp_path / 'fmnist'))
    name = 'student_r8_fmnist'
    cfg = demo.build_cfg(name, data_root, str(tmp_path / 'run'), quick=True)
    ckpt = demo.run(cfg, 'student')['checkpoint']
    out_dir = str(tmp_path / 'analysis')
    result = channel_redundancy.main([
        osp.join(demo.CONFIG_DIR, name + '.py'), ckpt, '--split', 'test',
        '--num-images', '50', '--out-dir', out_dir, '--tsne-iters', '250',
        '--cfg-options', f'test_dataloader.dataset.data_root={data_root}'
    ])
    for png in ('instance_similarity', 'channel_tsne', 'channel_distance'):
        assert osp.getsize(osp.join(out_dir, png + '.png')) > 1000
    with open(osp.join(out_dir, 'redundancy.json')) as f:
        saved = json.load(f)
    assert saved['num_images'] == 50 and saved['num_channels'] == 64
    dist = np.array(saved['channel_dist_to_gm'])
    assert saved['mean_dist_to_gm'] == pytest.approx(dist.mean(), rel=1e-6)
    assert np.array(saved['channel_tsne']).shape == (64, 2)
    assert result['mean_dist_to_gm'] == saved['mean_dist_to_gm']
    assert np.all(dist >= 0) and np.all(dist <= 2 + 1e-6)  # unit vectors, median in their hull


def test_hook_logs_redundancy(tmp_path):
    """ChannelRedundancyHook puts the numbers of the first N val images in
    the message hub; they equal a direct computation."""
    from mmengine.logging import MessageHub, MMLogger
    from mmpretrain.registry import MODELS

    from mmdccd.engine.hooks import ChannelRedundancyHook
    from mmdccd.evaluation import channel_redundancy as numbers_of

    torch.manual_seed(0)
    model = MODELS.build(
        dict(
            type='ImageClassifier',
            backbone=dict(type='CIFARResNet', depth=8, in_channels=1),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=10,
                      in_channels=64)))
    model.train()
    images = torch.randint(0, 255, (12, 1, 8, 8), dtype=torch.uint8)
    batches = [dict(inputs=list(images[i:i + 4]), data_samples=None)
               for i in range(0, 12, 4)]

    class FakeRunner:
        val_dataloader = batches
        message_hub = MessageHub.get_instance('test_redundancy_hook')
        logger = MMLogger.get_instance('test_redundancy_hook')

    FakeRunner.model = model
    ChannelRedundancyHook(num_images=8).after_val_epoch(FakeRunner(), {})
    assert model.training  # mode restored
    model.eval()
    with torch.no_grad():
        feats = model.extract_feat(images[:8].float())[-1]
    expected = numbers_of(feats)
    hub = FakeRunner.message_hub
    for key, value in expected.items():
        assert hub.get_scalar(f'val/redundancy/{key}').current() == \
            pytest.approx(value, rel=1e-4)


def test_fig8a_dccd_student(tmp_path):
    """Fig. 8a's command on configs/dccd/r20_r14_c100.py: the DCCD config's
    two-view preprocessor is given to the model (as mmengine's Runner does)
    and the student (resnet14, 64 channels) is drawn."""
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmrazor.registry import MODELS

    from tests.test_configs.config_utils import write_tiny_cifar100
    root = write_tiny_cifar100(str(tmp_path / 'c100'), num_test=8)
    config = osp.join(REPO_ROOT, 'configs', 'dccd', 'r20_r14_c100.py')
    cfg = Config.fromfile(config)
    cfg.model.update(teacher_ckpt=None,
                     data_preprocessor=cfg.data_preprocessor)
    init_default_scope('mmpretrain')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    ckpt = str(tmp_path / 'dccd.pth')
    torch.save({'state_dict': model.state_dict()}, ckpt)
    result = channel_redundancy.main([
        config, ckpt, '--num-images', '8', '--tsne-iters', '250', '--out-dir',
        str(tmp_path / 'out'), '--cfg-options',
        f'test_dataloader.dataset.data_root={root}',
        'test_dataloader.dataset.verify_md5=False'
    ])
    assert osp.getsize(str(tmp_path / 'out' / 'channel_tsne.png')) > 1000
    assert (result['num_images'], result['num_channels']) == (8, 64)
