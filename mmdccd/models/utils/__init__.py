from .channel_select import ChannelSelectBackbone
from .feature_sources import (FeatureSources, ModuleCall,
                              declared_input_size, find_feature_sources,
                              trace_modules)
from .input_resize import InputResize

__all__ = [
    'ChannelSelectBackbone', 'FeatureSources', 'InputResize', 'ModuleCall',
    'declared_input_size', 'find_feature_sources',
    'trace_modules'
]
