"""Keep freed host memory in the process (glibc), so that training on the
CPU does not fault in fresh pages every iteration.

PyTorch allocates CPU tensors with the C library's ``malloc``. glibc serves a
block of at least its mmap threshold (128 KiB, rising to at most 32 MiB) with
a fresh ``mmap`` and returns it to the kernel when it is freed, and gives the
top of its heaps back once more than the trim threshold is free. A training
iteration frees its activations and gradients and allocates them again in
the next one, so each iteration pays one page fault (and the zeroing of a
page) per 4 KiB of them. Measured on a 2-core CPU at b = 64: about 15,000
faults an iteration for the bare network work of resnet56 -> resnet20,
19,000-27,000 for KD and DCCD (their distillers keep more tensors alive at
once) and about 660,000 for resnet32x4 -> resnet8x4, whose iterations they
made 1.6x slower (``docs/benchmarks.md``). Turning ``mmap`` off for
``malloc`` and never trimming keeps the freed blocks in the process for the
next iteration: no faults once the heap has settled (a few iterations), the
same numbers (only the addresses change), and a resident size that stays at
the peak of one iteration. jemalloc or tcmalloc preloaded (``LD_PRELOAD``)
have the same effect; this needs nothing installed. GPU training keeps its
tensors in CUDA's caching allocator and does not need it.
"""
import ctypes
import ctypes.util
import os

#: ``mallopt`` parameters (glibc's ``malloc.h``).
M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_MAX = -1, -2, -4
#: Opt-out: set to ``0`` to keep glibc's defaults.
ENV_VAR = 'MMDCCD_RETAIN_FREED_MEMORY'


def retain_freed_memory() -> bool:
    """Make glibc keep freed memory in the process: ``M_MMAP_MAX`` 0 (no
    ``malloc`` served by ``mmap``), ``M_TRIM_THRESHOLD`` the largest int
    (the heaps are never trimmed), ``M_TOP_PAD`` 64 MiB (a heap grows in
    large steps). Applies to the allocations made after the call.

    Returns:
        bool: Whether it was applied: False where the C library is not glibc
        or ``MMDCCD_RETAIN_FREED_MEMORY=0``.
    """
    if os.environ.get(ENV_VAR, '1') == '0':
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library('c') or 'libc.so.6')
        libc.gnu_get_libc_version  # glibc only: AttributeError elsewhere
    except (OSError, AttributeError):
        return False
    return bool(
        libc.mallopt(M_MMAP_MAX, 0) and libc.mallopt(M_TRIM_THRESHOLD,
                                                     2**31 - 1)
        and libc.mallopt(M_TOP_PAD, 64 << 20))
