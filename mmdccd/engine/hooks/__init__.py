from .channel_redundancy_hook import ChannelRedundancyHook
from .progress_hook import ProgressHook

__all__ = ['ChannelRedundancyHook', 'ProgressHook']
