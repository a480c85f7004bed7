"""extract_student.py --onnx: the student classifier as an ONNX file whose
logits equal PyTorch's within 1e-4 (skipped where the onnx extra is not
installed; CI installs it from requirements/tests.txt)."""
import importlib.util
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmpretrain.registry import MODELS

import mmdccd  # noqa: F401
from mmdccd.deploy import onnx_export
from tests.utils import REPO_ROOT, config_path

TOOL = 'tools/model_converters/extract_student.py'


def run_tool_main(*argv):
    spec = importlib.util.spec_from_file_location(
        '_extract_student_onnx', osp.join(REPO_ROOT, TOOL))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main([str(a) for a in argv])


def test_onnx_student_equals_pytorch(tmp_path, capsys):
    for package in onnx_export.ONNX_PACKAGES:
        pytest.importorskip(package)
    import onnxruntime
    torch.manual_seed(0)
    cfg = Config.fromfile(config_path('tiny_student_cls.py'))
    student = MODELS.build(cfg.model).eval()
    # a distillation checkpoint as mmrazor saves it
    src = str(tmp_path / 'distill.pth')
    torch.save(
        dict(meta=dict(iter=4),
             state_dict={
                 **{f'architecture.{k}': v
                    for k, v in student.state_dict().items()},
                 'teacher.head.fc.weight': torch.zeros(2, 8),
             }), src)
    onnx_path = str(tmp_path / 'deploy' / 'student.onnx')
    run_tool_main(src, tmp_path / 'student.pth', '--onnx', onnx_path,
                  '--config', config_path('tiny_kd.py'), '--input-size', 16)
    out = capsys.readouterr().out
    assert f'Wrote ONNX student to {onnx_path}' in out
    # independently: onnxruntime against the PyTorch student, another batch
    session = onnxruntime.InferenceSession(
        onnx_path, providers=['CPUExecutionProvider'])
    assert [i.name for i in session.get_inputs()] == ['inputs']
    x = torch.randn(5, 3, 16, 16, generator=torch.Generator().manual_seed(1))
    (logits, ) = session.run(['logits'], {'inputs': x.numpy()})
    with torch.no_grad():
        expected = student(x, mode='tensor')
    assert logits.shape == (5, 2)
    torch.testing.assert_close(
        torch.from_numpy(logits), expected, atol=1e-4, rtol=0)


def test_missing_extra_is_a_clear_message(monkeypatch, tmp_path):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, 'find_spec',
        lambda name, *a: None if name == 'onnxscript' else real(name, *a))
    with pytest.raises(ImportError, match=r"missing onnxscript.*"
                       r"pip install 'mmdccd\[onnx\]'"):
        onnx_export.require_onnx()


def test_onnx_needs_a_config(tmp_path, capsys):
    with pytest.raises(SystemExit):
        run_tool_main(tmp_path / 'a.pth', tmp_path / 'b.pth', '--onnx',
                      tmp_path / 'c.onnx')
    assert '--onnx needs --config' in capsys.readouterr().err
