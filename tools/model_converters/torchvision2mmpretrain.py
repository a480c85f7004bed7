"""Convert a torchvision ResNet checkpoint to mmpretrain's ImageClassifier
naming.

torchvision's ResNet-18/34/50/101/152 and mmpretrain's ``ResNet`` (default
``style='pytorch'``: stride on the 3x3 convolution, as torchvision v1.5)
have the same modules under the same names; only the prefixes differ::

    conv1.*, bn1.*, layerX.Y.{convZ,bnZ,downsample.0,downsample.1}.*
        -> backbone.<same name>
    fc.weight, fc.bias -> head.fc.weight, head.fc.bias

The result loads into ``ImageClassifier(backbone=ResNet(depth=D),
neck=GlobalAveragePooling(), head=LinearClsHead(1000, C))`` with
``strict=True`` and gives the same logits. (torchvision's models take RGB
input normalised with the ImageNet mean/std, which is mmpretrain's ImageNet
data preprocessor with ``to_rgb=True``.)

Usage::

    python tools/model_converters/torchvision2mmpretrain.py \\
        resnet34-b627a593.pth work_dirs/resnet34_tv_mmpretrain.pth
"""
import argparse
import os
import os.path as osp
import re
from collections import OrderedDict
from typing import Dict

import torch

BACKBONE_KEY = re.compile(
    r'^(conv1|bn1|layer[1-4]\.\d+\.(conv\d|bn\d|downsample\.[01]))\.'
    r'(weight|bias|running_mean|running_var|num_batches_tracked)$')
HEAD_KEY = re.compile(r'^fc\.(weight|bias)$')


def convert_torchvision_resnet(
        state_dict: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Rename a torchvision ResNet state dict to mmpretrain's names.

    Args:
        state_dict (dict[str, torch.Tensor]): torchvision ResNet weights
            (``model.state_dict()`` or the released ``.pth`` file); a
            ``module.`` prefix (DataParallel) is dropped.

    Returns:
        OrderedDict[str, torch.Tensor]: The same tensors, keys
        ``backbone.*`` and ``head.fc.*``.

    Raises:
        ValueError: If a key is not a torchvision ResNet key.
    """
    converted = OrderedDict()
    unknown = []
    for key, value in state_dict.items():
        name = key[len('module.'):] if key.startswith('module.') else key
        if BACKBONE_KEY.match(name):
            converted['backbone.' + name] = value
        elif HEAD_KEY.match(name):
            converted['head.' + name] = value
        else:
            unknown.append(key)
    if unknown:
        raise ValueError(
            'Expected a torchvision ResNet state dict (conv1, bn1, layerX.Y.'
            f'convZ/bnZ/downsample, fc), but found {len(unknown)} other keys,'
            f' e.g. {unknown[:5]}. Is this a torchvision ResNet checkpoint?')
    return converted


def load_state_dict(path: str) -> Dict[str, torch.Tensor]:
    """Read a checkpoint file: a bare state dict or ``{'state_dict': ...}``.

    Args:
        path (str): The checkpoint file.

    Returns:
        dict[str, torch.Tensor]: The state dict.
    """
    checkpoint = torch.load(path, map_location='cpu', weights_only=True)
    for wrapper in ('state_dict', 'model'):
        if isinstance(checkpoint, dict) and isinstance(
                checkpoint.get(wrapper), dict):
            checkpoint = checkpoint[wrapper]
    return checkpoint


def main() -> None:
    parser = argparse.ArgumentParser(
        description='Convert a torchvision ResNet checkpoint to mmpretrain '
        'ImageClassifier keys.')
    parser.add_argument('src', help='torchvision checkpoint (.pth)')
    parser.add_argument('dst', help='output checkpoint path')
    args = parser.parse_args()

    converted = convert_torchvision_resnet(load_state_dict(args.src))
    os.makedirs(osp.dirname(osp.abspath(args.dst)), exist_ok=True)
    torch.save({'state_dict': converted}, args.dst)
    num_params = sum(v.numel() for k, v in converted.items()
                     if not k.endswith('num_batches_tracked'))
    print(f'Converted {len(converted)} tensors ({num_params:,} values) from '
          f'{args.src}; saved to {args.dst}')


if __name__ == '__main__':
    main()
