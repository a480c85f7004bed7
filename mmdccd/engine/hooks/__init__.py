from .channel_redundancy_hook import ChannelRedundancyHook

__all__ = ['ChannelRedundancyHook']
