from .channel_redundancy_hook import ChannelRedundancyHook
from .class_count_check_hook import ClassCountCheckHook
from .non_finite_loss_hook import NonFiniteLossHook
from .progress_hook import ProgressHook
from .teacher_accuracy_hook import TeacherAccuracyHook

__all__ = [
    'ChannelRedundancyHook', 'ClassCountCheckHook', 'NonFiniteLossHook',
    'ProgressHook', 'TeacherAccuracyHook'
]
