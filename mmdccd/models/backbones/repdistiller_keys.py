"""State-dict key mapping from the CRD benchmark (RepDistiller) checkpoints
to mmdccd's ``ImageClassifier`` built by :func:`cifar_classifier_cfg`.

RepDistiller saves ``{'model': model.state_dict(), ...}`` with plain module
names (RepDistiller's CIFAR models, github.com/HobbitLong/RepDistiller). Our backbones keep
those names where they are plain, so most keys only gain the ``backbone.``
prefix and the classifier becomes ``head.fc``. The renames per family:

============  ===================================  =========================
family        RepDistiller key                     mmdccd key
============  ===================================  =========================
all           ``module.`` (DataParallel) prefix    dropped
resnet        ``fc.*``                             ``head.fc.*``
ResNet50      ``layerX.Y.shortcut.{0,1}.*``        ``...downsample.{0,1}.*``
              ``linear.*``                         ``head.fc.*``
wrn           ``blockK.layer.Y.*``                 ``layerK.Y.*``
              ``...convShortcut.*``                ``...shortcut.*``
              ``bn1.*`` (final BN, top level)      ``final_bn.*``
              ``fc.*``                             ``head.fc.*``
vgg           ``classifier.*``                     ``head.fc.*``
MobileNetV2   ``classifier.0.*``                   ``head.fc.*``
ShuffleV1/V2  ``linear.*``                         ``head.fc.*``
============  ===================================  =========================

Everything else becomes ``backbone.<key>``.
"""
import re
from typing import Dict, List, Mapping, NamedTuple, Tuple

import torch

#: (pattern, replacement) applied in order with ``re.sub`` (each at most
#: once); a key that no head rule claims is prefixed with ``backbone.``.
_RULES: Dict[str, List[Tuple[str, str]]] = {
    'resnet': [(r'^fc\.', 'head.fc.')],
    'resnet50': [(r'\.shortcut\.', '.downsample.'),
                 (r'^linear\.', 'head.fc.')],
    'wrn': [(r'^block(\d+)\.layer\.', r'layer\1.'),
            (r'\.convShortcut\.', '.shortcut.'), (r'^bn1\.', 'final_bn.'),
            (r'^fc\.', 'head.fc.')],
    'vgg': [(r'^classifier\.', 'head.fc.')],
    'mobilenetv2': [(r'^classifier\.0\.', 'head.fc.')],
    'shufflenet': [(r'^linear\.', 'head.fc.')],
}


def repdistiller_family(name: str) -> str:
    """The key-mapping family of a RepDistiller model name.

    Args:
        name (str): e.g. ``'resnet32x4'``, ``'wrn_16_2'``, ``'vgg13'``.

    Returns:
        str: One of the keys of ``_RULES``.
    """
    if name == 'ResNet50':
        return 'resnet50'
    if re.fullmatch(r'resnet\d+(x4)?', name):
        return 'resnet'
    if re.fullmatch(r'wrn_\d+_\d+', name):
        return 'wrn'
    if re.fullmatch(r'vgg\d+', name):
        return 'vgg'
    if name == 'MobileNetV2':
        return 'mobilenetv2'
    if name in ('ShuffleV1', 'ShuffleV2'):
        return 'shufflenet'
    raise KeyError(f'no RepDistiller key mapping for model {name!r}; '
                   'expected resnetN, resnetNx4, ResNet50, wrn_D_K, vggN, '
                   'MobileNetV2, ShuffleV1 or ShuffleV2.')


def convert_key(key: str, family: str) -> str:
    """Map one RepDistiller key to its mmdccd ``ImageClassifier`` key."""
    for pattern, repl in _RULES[family]:
        key = re.sub(pattern, repl, key, count=1)
    return key if key.startswith('head.') else f'backbone.{key}'


def convert_repdistiller_state_dict(
        name: str,
        state_dict: Mapping[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Rename a RepDistiller state dict for mmdccd.

    Args:
        name (str): RepDistiller model name (``--model``).
        state_dict (Mapping[str, torch.Tensor]): ``checkpoint['model']``.

    Returns:
        dict[str, torch.Tensor]: The same tensors under mmdccd keys
        (``backbone.*``, ``head.fc.*``). Completeness is not checked here;
        see :func:`find_key_mismatches`.
    """
    family = repdistiller_family(name)
    keys = list(state_dict)
    if keys and all(k.startswith('module.') for k in keys):
        state_dict = {k[len('module.'):]: v for k, v in state_dict.items()}
    converted: Dict[str, torch.Tensor] = {}
    for key, value in state_dict.items():
        new_key = convert_key(key, family)
        if new_key in converted:
            raise ValueError(f'two RepDistiller keys map to {new_key!r} '
                             f'(the second is {key!r}); the file is not a '
                             f'plain {name} state dict.')
        converted[new_key] = value
    return converted


class KeyMismatches(NamedTuple):
    """Differences between a converted and the expected state dict."""
    missing: List[str]
    unexpected: List[str]
    wrong_shape: List[str]

    def __bool__(self) -> bool:
        return bool(self.missing or self.unexpected or self.wrong_shape)

    def report(self) -> str:
        """A readable listing of every mismatch (empty if none)."""
        lines = []
        for title, keys in (('missing keys', self.missing),
                            ('unexpected keys', self.unexpected),
                            ('keys with a wrong shape', self.wrong_shape)):
            if keys:
                lines.append(f'{len(keys)} {title}:')
                lines += [f'  {k}' for k in keys]
        return '\n'.join(lines)


def find_key_mismatches(
        converted: Mapping[str, torch.Tensor],
        expected: Mapping[str, torch.Tensor]) -> KeyMismatches:
    """Compare a converted state dict with the target model's.

    Args:
        converted (Mapping[str, torch.Tensor]): Output of
            :func:`convert_repdistiller_state_dict`.
        expected (Mapping[str, torch.Tensor]): ``model.state_dict()`` of the
            target ``ImageClassifier``.

    Returns:
        KeyMismatches: Missing and unexpected keys (sorted), and keys in
        both whose shapes differ (``'key: found (..), expected (..)'``).
    """
    missing = sorted(set(expected) - set(converted))
    unexpected = sorted(set(converted) - set(expected))
    wrong_shape = [
        f'{k}: found {tuple(converted[k].shape)}, expected '
        f'{tuple(expected[k].shape)}' for k in sorted(expected)
        if k in converted and converted[k].shape != expected[k].shape
    ]
    return KeyMismatches(missing, unexpected, wrong_shape)
