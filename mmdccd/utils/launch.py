"""What ``tools/train.py`` and ``tools/test.py`` share: their common
options, the config they build from them and the runner, and a clean exit
under distributed launches."""
import argparse
import os
import os.path as osp
from typing import Callable, Optional, Sequence

import torch
from mmengine.config import Config, DictAction
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from .checkpoint import add_allow_pickle_argument
from .cpu_distributed import setup_cpu_distributed
from .host_memory import retain_freed_memory


def add_common_args(parser: argparse.ArgumentParser, work_dir_help: str,
                    cfg_example: str) -> None:
    """Add ``--work-dir``, ``--cfg-options``, ``--allow-pickle``,
    ``--launcher`` and ``--local-rank`` (both spellings:
    ``torch.distributed.launch`` passes ``--local-rank`` since torch 2.0,
    ``--local_rank`` before).

    Args:
        parser (ArgumentParser): The tool's parser.
        work_dir_help (str): What goes to the work dir.
        cfg_example (str): An example of ``--cfg-options``.
    """
    parser.add_argument(
        '--work-dir',
        help=f'{work_dir_help}; defaults to the config\'s `work_dir`, else '
        './work_dirs/<config name>')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help=f'override config items, e.g. {cfg_example}')
    add_allow_pickle_argument(parser)
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument(
        '--local_rank', '--local-rank', type=int, default=0, dest='local_rank')


def parse_with_local_rank(parser: argparse.ArgumentParser,
                          argv: Optional[Sequence[str]] = None
                          ) -> argparse.Namespace:
    """Parse ``argv`` and export ``LOCAL_RANK`` (unless the launcher set
    it), which mmengine reads."""
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def load_config_file(path: str) -> Config:
    """The config at ``path``: a file, or a config that a package ships,
    ``pkg::path`` (``mmpretrain::resnet/resnet18_8xb32_in1k.py``), as
    ``_base_`` accepts it (:func:`mmengine.hub.get_config`; mmengine's
    ``Config.fromfile`` reads ``pkg::`` only inside ``_base_``).

    Args:
        path (str): The config's path or ``pkg::path``.

    Returns:
        Config: The config.

    Raises:
        FileNotFoundError: No such file, or the package is not installed
            or does not ship that config.
    """
    if '::' not in path:
        return Config.fromfile(path)
    from mmengine.hub import get_config
    from mmengine.utils import is_installed
    package = path.split('::', 1)[0]
    if not is_installed(package):
        raise FileNotFoundError(
            f'{path}: expected a config shipped by the installed package '
            f'{package!r}, but {package} is not installed; install it (pip '
            'install) or give the path of a config file.')
    try:
        return get_config(path)
    except FileNotFoundError as exc:
        raise FileNotFoundError(
            f'{path}: {package} does not ship this config ({exc}); its '
            f'configs are under the `.mim/configs/` folder of the installed '
            f'{package}.') from exc


def load_config(args: argparse.Namespace) -> Config:
    """The config of ``args.config`` (a file or ``pkg::path``) with
    ``--cfg-options`` merged, the launcher and the work dir set."""
    cfg = load_config_file(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        name = osp.splitext(osp.basename(args.config))[0]
        cfg.work_dir = osp.join('./work_dirs', name)
    return cfg


def build_runner(cfg: Config) -> Runner:
    """The config's runner (``runner_type`` or mmengine's ``Runner``), after
    making a launch without CUDA use gloo
    (:func:`~mmdccd.utils.setup_cpu_distributed`) and keep freed host memory
    for the next iteration (:func:`~mmdccd.utils.retain_freed_memory`)."""
    setup_cpu_distributed(cfg, cfg.launcher)
    if not torch.cuda.is_available():
        retain_freed_memory()
    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    return Runner.from_cfg(cfg)


def run_tool(main: Callable[[], None]) -> None:
    """Run a tool's ``main``, then destroy a live process group: gloo
    aborts at interpreter exit with one.

    After a ``main`` that returned, the ranks first meet at a barrier, so that
    no rank tears its connections down while a peer is still using them (one
    rank of a two-process gloo run aborted at exit now and then without it).
    After one that raised there is no barrier: the other ranks may never get
    there.
    """
    try:
        main()
        if _distributed():
            torch.distributed.barrier()
    finally:
        if _distributed():
            torch.distributed.destroy_process_group()


def _distributed() -> bool:
    """Whether this process is in a live process group."""
    return torch.distributed.is_available() and \
        torch.distributed.is_initialized()
