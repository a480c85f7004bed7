from .channel_redundancy_hook import ChannelRedundancyHook
from .non_finite_loss_hook import NonFiniteLossHook
from .progress_hook import ProgressHook
from .teacher_accuracy_hook import TeacherAccuracyHook

__all__ = [
    'ChannelRedundancyHook', 'NonFiniteLossHook', 'ProgressHook',
    'TeacherAccuracyHook'
]
