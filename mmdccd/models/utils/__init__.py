from .batchnorm_folding import fold_batchnorms
from .channel_select import ChannelSelectBackbone
from .class_counts import (ClassCount, check_logit_classes, class_count,
                          num_classes)
from .fast_teacher import FastTeacher
from .feature_sources import (FeatureSources, ModuleCall,
                              declared_in_channels, declared_input_size,
                              find_feature_sources,
                              trace_modules)
from .teacher_input import TeacherInput

__all__ = [
    'ChannelSelectBackbone', 'ClassCount', 'FastTeacher', 'FeatureSources',
    'ModuleCall', 'TeacherInput', 'check_logit_classes', 'class_count',
    'declared_in_channels', 'declared_input_size', 'find_feature_sources',
    'fold_batchnorms', 'num_classes', 'trace_modules'
]
