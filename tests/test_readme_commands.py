"""Every command block of README.md and configs/*/README.md, as written.

Each ``bash``/``shell`` block runs in bash, in a sandbox where the tools are
stand-ins that record their arguments (so loops, ``$(basename ...)`` and
continuation lines expand as in a user's shell, and nothing trains). Then
each recorded command is checked cheaply: the script exists, its options
parse with the tool's own parser, its config loads (a file, or ``pkg::``), a
``make`` target or a requirements file or extra exists, and a checkpoint
under ``work_dirs/`` that it reads is one that an earlier command of the
same file writes (a config's work dir and last epoch). A renamed option or
a wrong path fails here. The Quick start's extraction and mmpretrain
evaluation run end to end on generated data below.
"""
import fnmatch
import functools
import glob
import os
import os.path as osp
import re
import subprocess
from typing import Dict, List, NamedTuple, Optional

import pytest
import torch

import mmdccd  # noqa: F401
from mmdccd.utils.launch import load_config_file
from tests.utils import REPO_ROOT, load_tool

DOCS = ['README.md'] + sorted(
    osp.relpath(p, REPO_ROOT)
    for p in glob.glob(osp.join(REPO_ROOT, 'configs', '*', 'README.md')))
FENCE = re.compile(r'^( *)```(\w*)\s*$')
SHELLS = ('bash', 'shell', 'sh')
# a stand-in for each script: its argv, NUL-separated, in the next file
RECORDER = '''#!/usr/bin/env bash
n=$(ls "$RECORD" | wc -l)
printf '%s\\0' "$(basename "$0")" "$@" > "$RECORD/$(printf %04d "$n")"
'''
PRELUDE = '''set -eo pipefail
record() {
    n=$(ls "$RECORD" | wc -l)
    printf '%s\\0' "$@" > "$RECORD/$(printf %04d "$n")"
}
python() { record python "$@"; }
pip() { record pip "$@"; }
make() { record make "$@"; [ "$1" != env ] || echo "$SANDBOX/venv"; }
'''


class Block(NamedTuple):
    doc: str
    line: int
    text: str


class Command(NamedTuple):
    block: Block
    argv: List[str]


def shell_blocks(doc: str) -> List[Block]:
    """The shell code blocks of ``doc`` (indented ones too), dedented."""
    blocks, current, indent, start = [], None, 0, 0
    with open(osp.join(REPO_ROOT, doc)) as f:
        lines = f.read().splitlines()
    for i, line in enumerate(lines, 1):
        match = FENCE.match(line)
        if current is None and match and match.group(2) in SHELLS:
            current, indent, start = [], len(match.group(1)), i
        elif current is not None and match and not match.group(2):
            blocks.append(Block(doc, start, '\n'.join(current)))
            current = None
        elif current is not None:
            current.append(line[indent:])
    return blocks


def record_commands(block: Block, sandbox: str) -> List[List[str]]:
    """Run ``block`` in bash with the tools replaced by recorders; the
    argv of each command it runs, in order."""
    record = osp.join(sandbox, 'record')
    if osp.isdir(record):
        for name in os.listdir(record):
            os.remove(osp.join(record, name))
    else:
        os.makedirs(record)
        for script in glob.glob(osp.join(REPO_ROOT, 'tools', '**', '*.sh'),
                                recursive=True):
            stub = osp.join(sandbox, osp.relpath(script, REPO_ROOT))
            os.makedirs(osp.dirname(stub), exist_ok=True)
            with open(stub, 'w') as f:
                f.write(RECORDER)
            os.chmod(stub, 0o755)
        os.makedirs(osp.join(sandbox, 'venv', 'bin'))
        open(osp.join(sandbox, 'venv', 'bin', 'activate'), 'w').close()
    env = dict(os.environ, RECORD=record, SANDBOX=sandbox)
    proc = subprocess.run(['bash', '-c', PRELUDE + block.text],
                          cwd=sandbox,
                          env=env,
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, (block, proc.stderr)
    commands = []
    for name in sorted(os.listdir(record)):
        with open(osp.join(record, name)) as f:
            commands.append(f.read().split('\0')[:-1])
    return commands


@pytest.fixture(scope='module')
def commands(tmp_path_factory) -> Dict[str, List[Command]]:
    sandbox = str(tmp_path_factory.mktemp('readme_sandbox'))
    found = {}
    for doc in DOCS:
        found[doc] = [
            Command(block, argv) for block in shell_blocks(doc)
            for argv in record_commands(block, sandbox)
        ]
    return found


_TOOLS = {}


def tool(script: str):
    """The tool module of ``tools/...`` (imported once)."""
    if script not in _TOOLS:
        assert script.startswith('tools/') and osp.isfile(
            osp.join(REPO_ROOT, script)), f'no such tool: {script}'
        _TOOLS[script] = load_tool(script[len('tools/'):])
    return _TOOLS[script]


class Checked(NamedTuple):
    """What a command reads and writes, once its options parse."""
    config: Optional[str]
    reads: List[str]
    writes: List[str]


@functools.lru_cache(maxsize=None)
def config_of(path: str):
    """The config at ``path`` (repository-relative, or ``pkg::``), loaded
    once: many commands name the same config."""
    if '::' in path:
        return load_config_file(path)
    return load_config_file(osp.join(REPO_ROOT, path))


def trained(config: str, work_dir: Optional[str],
            generated: bool = False) -> List[str]:
    """The checkpoints a training run of ``config`` writes: its last epoch
    (or iteration) and the best one; any checkpoint in its work dir for a
    config that an earlier command generates."""
    if generated:
        name = osp.splitext(osp.basename(config))[0]
        return [osp.join(work_dir or osp.join('work_dirs', name), '*')]
    cfg = config_of(config)
    work_dir = work_dir or cfg.get('work_dir') or osp.join(
        'work_dirs',
        osp.splitext(osp.basename(config))[0])
    train_cfg = cfg.get('train_cfg', {})
    last = (f'epoch_{train_cfg["max_epochs"]}.pth' if 'max_epochs' in
            train_cfg else f'iter_{train_cfg.get("max_iters")}.pth')
    return [osp.join(work_dir, last), osp.join(work_dir, 'best_*.pth')]


def cfg_option_paths(options) -> List[str]:
    return [
        v for v in (options or {}).values()
        if isinstance(v, str) and v.startswith('work_dirs/')
    ]


def is_written(path: str, written: List[str]) -> bool:
    """Whether an earlier command writes ``path`` (either may be a glob)."""
    return any(
        fnmatch.fnmatch(path, w) or fnmatch.fnmatch(w, path)
        for w in written)


def check(argv: List[str], monkeypatch, written: List[str] = ()) -> Checked:
    """Parse ``argv`` as its tool does; what it reads and writes."""
    monkeypatch.delenv('MMDCCD_ALLOW_PICKLE', raising=False)
    program, args = argv[0], argv[1:]
    if program == 'make':
        with open(osp.join(REPO_ROOT, 'Makefile')) as f:
            targets = re.findall(r'^([\w-]+):', f.read(), re.M)
        assert set(args) <= set(targets), (args, targets)
        return Checked(None, [], [])
    if program == 'pip':
        assert args[0] == 'install'
        with open(osp.join(REPO_ROOT, 'setup.py')) as f:
            extras = set(re.findall(r"'(\w+)': read_requirements", f.read()))
        for flag, value in zip(args, args[1:]):
            if flag in ('-r', '-c'):
                assert osp.isfile(osp.join(REPO_ROOT, value)), value
            if flag == '-e':
                wanted = re.fullmatch(r'\.(\[([\w,]+)\])?', value)
                assert wanted, value
                assert set((wanted.group(2) or '').split(',')) - {''} <= \
                    extras, (value, extras)
        return Checked(None, [], [])
    if program == 'python':
        script, args = args[0], args[1:]
    else:  # tools/*.sh, by their own usage lines
        script = {
            'dist_train.sh': 'tools/train.py',
            'slurm_train.sh': 'tools/train.py',
            'dist_test.sh': 'tools/test.py',
            'slurm_test.sh': 'tools/test.py',
        }[program]
        if program == 'dist_train.sh':
            assert int(args[1]) > 0
            args = [args[0]] + args[2:]
        elif program == 'dist_test.sh':
            assert int(args[2]) > 0
            args = args[:2] + args[3:]
        elif program == 'slurm_train.sh':
            args = [args[2], '--work-dir', args[3]] + args[4:]
        else:  # slurm_test.sh PARTITION JOB CONFIG CHECKPOINT
            args = args[2:]
    parsed = tool(script).parse_args(args)
    reads, writes = [], []
    config = getattr(parsed, 'config', None)
    if script == 'tools/train.py':
        reads = cfg_option_paths(parsed.cfg_options)
        writes = trained(parsed.config, parsed.work_dir,
                         is_written(parsed.config, written))
    elif script == 'tools/test.py':
        reads = [parsed.checkpoint] + cfg_option_paths(parsed.cfg_options)
    elif script == 'tools/run_seeds.py':
        writes = [parsed.work_dir or '']
    elif script == 'tools/model_converters/extract_student.py':
        reads, writes = [parsed.src], [parsed.dst, parsed.onnx or '']
    elif script == 'tools/model_converters/convert_repdistiller.py':
        writes = [parsed.dst]
    elif script == 'tools/model_converters/pdd_prune.py':
        reads, writes = [parsed.checkpoint], [osp.join(parsed.out, '*')]
    elif script == 'tools/analysis_tools/channel_redundancy.py':
        reads = [parsed.checkpoint] + cfg_option_paths(parsed.cfg_options)
    return Checked(config, reads, writes)


@pytest.mark.parametrize('doc', DOCS)
def test_every_command_runs_as_written(doc, commands, monkeypatch):
    assert commands[doc] or doc in (), f'{doc} shows no command'
    written: List[str] = []
    for command in commands[doc]:
        where = f'{doc}:{command.block.line}: {" ".join(command.argv)}'
        try:
            checked = check(command.argv, monkeypatch, written)
        except SystemExit as exit:  # argparse refused the options
            pytest.fail(f'{where}: the options do not parse ({exit})')
        if checked.config is not None and not is_written(
                checked.config, written):
            assert config_of(checked.config) is not None, where
        for path in checked.reads:
            if path.startswith('work_dirs/'):
                assert is_written(path, written), (
                    f'{where}: reads {path}, which no earlier command '
                    f'writes (they write {written})')
        written += [w for w in checked.writes if w]


def test_recorded_what_the_readme_shows(commands):
    """The sandbox sees the commands a user types: loops expanded,
    continuation lines joined, quoted arguments kept whole."""
    quick = [c.argv for c in commands['README.md']]
    assert ['make', 'demo'] in quick and ['make', 'test'] in quick
    assert [
        'python', 'tools/test.py', 'mmpretrain::resnet/resnet18_8xb32_in1k.py',
        'r18_dccd.pth'
    ] in quick
    assert ['slurm_train.sh', 'PARTITION', 'dccd',
            'configs/dccd/r34_r18_in1k.py', 'work_dirs/r34_r18_in1k'] in quick
    fig8a = [
        c.argv for c in commands['configs/dccd/README.md']
        if 'tools/analysis_tools/channel_redundancy.py' in c.argv
    ]
    assert len(fig8a) == 4
    assert fig8a[2][2:5] == [
        'configs/kd/r20_r14_c100.py', 'work_dirs/r20_r14_c100/epoch_240.pth',
        '--split'
    ]
    assert fig8a[2][-1] == 'work_dirs/fig8a/kd_r20_r14_c100'
    summary = [
        c.argv for c in commands['configs/dccd/README.md']
        if 'tools/analysis_tools/summarize_seeds.py' in c.argv
    ]
    assert 'resnet56 -> resnet20, DCCD' in summary[0]


def test_a_wrong_path_or_option_fails(commands, monkeypatch):
    """The check catches what it is for: a renamed option, a checkpoint no
    command writes."""
    with pytest.raises(SystemExit):
        check(['python', 'tools/train.py', 'configs/dccd/r56_r20_c100.py',
               '--resume-from', 'x.pth'], monkeypatch)
    checked = check([
        'python', 'tools/test.py', 'configs/dccd/r56_r20_c100.py',
        'work_dirs/r56_r20_c100/epoch_240.pth'
    ], monkeypatch)
    # the distillation trains 240 epochs: epoch_200 is written by nothing
    assert trained('configs/dccd/r56_r20_c100.py', None)[0] == \
        checked.reads[0]
    assert trained('configs/dccd/r56_r20_c100.py', None)[0] != \
        'work_dirs/r56_r20_c100/epoch_200.pth'


def test_dccd_readme_says_what_the_test_loop_reports():
    """tools/test.py on a distillation checkpoint reports the student's
    metrics only (tests/test_tools/test_train_test.py: exactly
    {'accuracy/top1'}); the README says so."""
    with open(osp.join(REPO_ROOT, 'configs', 'dccd', 'README.md')) as f:
        text = ' '.join(f.read().split())
    assert 'the test loop reports both' not in text
    assert '`tools/test.py` reports the student\'s top-1' in text


def test_quick_start_student_with_an_mmpretrain_config(tmp_path, capsys,
                                                      monkeypatch):
    """The Quick start's last two commands end to end: a DCCD checkpoint of
    configs/dccd/r34_r18_in1k.py (random weights), its student extracted,
    then evaluated with the config mmpretrain ships, given as
    ``mmpretrain::resnet/resnet18_8xb32_in1k.py``, on a generated ImageNet
    folder of 4 images."""
    import cv2
    import numpy as np
    from mmengine.registry import DefaultScope
    from mmrazor.registry import MODELS
    from mmpretrain.models import ImageClassifier

    cfg = config_of('mmpretrain::resnet/resnet18_8xb32_in1k.py')
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        student = MODELS.build(cfg.model)
    assert isinstance(student, ImageClassifier)
    # as DCCD saves it: the student under architecture., the teacher beside
    state = {f'architecture.{k}': v for k, v in student.state_dict().items()}
    state['teacher.backbone.conv1.weight'] = torch.zeros(64, 3, 7, 7)
    monkeypatch.chdir(tmp_path)
    torch.save({'state_dict': state, 'meta': {'epoch': 100}},
               'work_dirs_epoch_100.pth')
    rng = np.random.default_rng(0)
    for k in range(4):
        folder = osp.join('data', 'imagenet', 'val', f'n0{k}')
        os.makedirs(folder)
        cv2.imwrite(osp.join(folder, 'a.JPEG'),
                    rng.integers(0, 255, (40, 48, 3), dtype=np.uint8))
    os.makedirs(osp.join('data', 'imagenet', 'meta'))
    with open(osp.join('data', 'imagenet', 'meta', 'val.txt'), 'w') as f:
        f.write(''.join(f'n0{k}/a.JPEG {k}\n' for k in range(4)))

    tool('tools/model_converters/extract_student.py').main(
        ['work_dirs_epoch_100.pth', 'r18_dccd.pth'])
    monkeypatch.delenv('LOCAL_RANK', raising=False)
    tool('tools/test.py').main([
        'mmpretrain::resnet/resnet18_8xb32_in1k.py', 'r18_dccd.pth',
        '--cfg-options', 'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False',
        'test_dataloader.batch_size=4'
    ])
    out = capsys.readouterr().out
    assert re.search(r'Evaluated r18_dccd.pth: accuracy/top1: [\d.]+, '
                     r'accuracy/top5: [\d.]+', out), out
    assert osp.isdir(osp.join('work_dirs', 'resnet18_8xb32_in1k'))


def test_readme_line_that_activates_the_built_environment(tmp_path):
    """The README's ``source "$(make env)/bin/activate"`` as written, in the
    clone: ``make env`` prints the environment's path and nothing else on
    stdout (here an environment already built for this clone, through
    MMDCCD_VENV, so nothing is installed)."""
    with open(osp.join(REPO_ROOT, 'README.md')) as f:
        text = f.read()
    (line, ) = re.findall(r'`(source "\$\(make env\)/bin/activate")`', text)
    venv = tmp_path / 'venv'
    (venv / 'bin').mkdir(parents=True)
    (venv / 'bin' / 'activate').write_text(
        'export VIRTUAL_ENV="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." '
        '&& pwd)"\n')
    (venv / '.complete').touch()
    (venv / '.checkout').write_text(REPO_ROOT + '\n')
    # a user's shell: not inside a make (`make test` exports MAKELEVEL, and
    # a nested make prints 'Entering directory' on stdout)
    shell = {
        k: v
        for k, v in os.environ.items()
        if k not in ('MAKELEVEL', 'MAKEFLAGS', 'MFLAGS')
    }
    proc = subprocess.run(['bash', '-c', f'{line} && echo "$VIRTUAL_ENV"'],
                          cwd=REPO_ROOT,
                          env=dict(shell, MMDCCD_VENV=str(venv)),
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(venv)
