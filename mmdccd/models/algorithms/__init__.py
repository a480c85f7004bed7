from .dccd import DCCD
from .frozen_teacher_distill import FrozenTeacherDistill

__all__ = ['DCCD', 'FrozenTeacherDistill']
