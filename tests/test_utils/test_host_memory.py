"""retain_freed_memory: no page faults when an iteration's tensors are freed
and allocated again (each case in a fresh interpreter: mallopt cannot be
undone)."""
import os
import platform
import subprocess
import sys

import pytest

import mmdccd.utils.host_memory as host_memory

#: Allocates, touches and frees a 64 MiB tensor (an iteration's activations)
#: 15 times; prints the minor page faults of the last 5 (the heap settles in
#: the first iterations).
SCRIPT = '''
import importlib.util, resource, sys, torch
spec = importlib.util.spec_from_file_location('host_memory', sys.argv[2])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)  # alone: no registries to import
applied = module.retain_freed_memory() if sys.argv[1] == '1' else False
for _ in range(10):
    torch.empty(16 << 20).fill_(1.0)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(5):
    torch.empty(16 << 20).fill_(1.0)
print(applied, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
'''


def faults(retain: bool, **env):
    out = subprocess.run(
        [
            sys.executable, '-c', SCRIPT, '1' if retain else '0',
            host_memory.__file__
        ],
        capture_output=True, text=True, check=True,
        env=dict(os.environ, **env)).stdout.split()
    return out[0] == 'True', int(out[1])


@pytest.mark.skipif(platform.libc_ver()[0] != 'glibc',
                    reason='mallopt is glibc\'s')
def test_retained_memory_is_reused_without_page_faults():
    applied, retained = faults(True)
    assert applied
    _, default = faults(False)
    # glibc: unmapped on free and faulted in again, at least one fault a
    # 2 MiB huge page each time (one a 4 KiB page without them)
    assert default >= 5 * (64 << 20) // (2 << 20)
    assert retained * 10 < default  # kept: reused as it is
    opted_out, _ = faults(True, MMDCCD_RETAIN_FREED_MEMORY='0')
    assert not opted_out
