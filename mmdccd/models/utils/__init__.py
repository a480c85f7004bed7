from .channel_select import ChannelSelectBackbone
from .feature_sources import (FeatureSources, ModuleCall,
                              declared_in_channels, declared_input_size,
                              find_feature_sources,
                              trace_modules)
from .teacher_input import TeacherInput

__all__ = [
    'ChannelSelectBackbone', 'FeatureSources', 'ModuleCall', 'TeacherInput',
    'declared_in_channels', 'declared_input_size', 'find_feature_sources',
    'trace_modules'
]
