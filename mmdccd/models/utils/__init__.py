from .channel_select import ChannelSelectBackbone

__all__ = ['ChannelSelectBackbone']
