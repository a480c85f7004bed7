from .batchnorm_folding import fold_batchnorms
from .channel_select import ChannelSelectBackbone
from .fast_teacher import FastTeacher
from .feature_sources import (FeatureSources, ModuleCall,
                              declared_in_channels, declared_input_size,
                              find_feature_sources,
                              trace_modules)
from .teacher_input import TeacherInput

__all__ = [
    'ChannelSelectBackbone', 'FastTeacher', 'FeatureSources', 'ModuleCall',
    'TeacherInput', 'declared_in_channels', 'declared_input_size',
    'find_feature_sources', 'fold_batchnorms', 'trace_modules'
]
