from .benchmark_init import BENCHMARK_INIT
from .cifar_archs import (REPDISTILLER_ARCHS, CIFARArch, cifar_classifier_cfg,
                          get_cifar_arch)
from .cifar_mobilenetv2 import CIFARMobileNetV2
from .cifar_resnet import CIFARResNet
from .cifar_shufflenetv1 import CIFARShuffleNetV1
from .cifar_shufflenetv2 import CIFARShuffleNetV2
from .cifar_vgg import CIFARVGG
from .pdd_resnet import PDDCIFARResNet
from .pdd_vgg import PDDCIFARVGG
from .repdistiller_keys import (convert_repdistiller_state_dict,
                                find_key_mismatches)
from .wrn import WideResNet

__all__ = [
    'BENCHMARK_INIT', 'CIFARArch', 'CIFARMobileNetV2', 'CIFARResNet',
    'CIFARShuffleNetV1', 'CIFARShuffleNetV2', 'CIFARVGG', 'PDDCIFARResNet',
    'PDDCIFARVGG',
    'REPDISTILLER_ARCHS', 'WideResNet', 'cifar_classifier_cfg',
    'convert_repdistiller_state_dict', 'find_key_mismatches',
    'get_cifar_arch'
]
