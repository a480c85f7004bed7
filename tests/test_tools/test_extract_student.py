"""tools/model_converters/extract_student.py: a distillation checkpoint becomes
a student checkpoint that plain mmpretrain evaluates."""
import glob
import os.path as osp
from collections import Counter

import cv2
import mmengine
import numpy as np
import pytest
import torch

import mmdccd  # noqa: F401
from tests.utils import config_path, data_root_options, load_tool, run_tool

TOOL = 'tools/model_converters/extract_student.py'


def _tool_module():
    return load_tool(TOOL[len('tools/'):])


def test_split_keeps_architecture_drops_teacher_and_distiller():
    t = [torch.full((2, ), float(i)) for i in range(5)]
    state = {
        'architecture.backbone.w': t[0],
        'architecture.head.fc.bias': t[1],
        'teacher.backbone.w': t[2],
        'distiller.connectors.c.weight': t[3],
        'data_preprocessor.mean': t[4],
    }
    student, dropped = _tool_module().extract_student(state)
    assert list(student) == [
        'backbone.w', 'head.fc.bias', 'data_preprocessor.mean'
    ]
    assert student['backbone.w'] is t[0]
    assert student['data_preprocessor.mean'] is t[4]
    assert dropped == Counter(teacher=1, distiller=1)

    # the student's own preprocessor copy wins over the algorithm's
    state['architecture.data_preprocessor.mean'] = t[1]
    student, dropped = _tool_module().extract_student(state)
    assert student['data_preprocessor.mean'] is t[1]
    assert dropped == Counter(teacher=1, distiller=1, data_preprocessor=1)


def test_refuses_checkpoint_without_student(tmp_path):
    plain = str(tmp_path / 'plain.pth')
    torch.save({'state_dict': {'backbone.w': torch.ones(1)}}, plain)
    proc = run_tool([TOOL, plain, str(tmp_path / 'out.pth')], check=False)
    assert proc.returncode != 0
    assert "'architecture.'" in proc.stdout
    assert "['backbone']" in proc.stdout
    assert not osp.exists(tmp_path / 'out.pth')


@pytest.fixture(scope='module')
def extracted(tmp_path_factory, tiny_kd_run):
    """(source checkpoint, student checkpoint, tool output)."""
    src = osp.join(tiny_kd_run, 'iter_4.pth')
    dst = str(tmp_path_factory.mktemp('student') / 'student.pth')
    proc = run_tool([TOOL, src, dst])
    return src, dst, proc.stdout


def test_extracted_checkpoint_content(extracted):
    src, dst, stdout = extracted
    source = torch.load(src, map_location='cpu', weights_only=False)
    # plain tensors and meta: loads without the trusted (pickle) path
    student = torch.load(dst, map_location='cpu', weights_only=True)
    assert set(student) == {'meta', 'state_dict'}
    assert student['meta']['iter'] == 4
    assert student['meta']['dataset_meta'] == {'classes': ('cat', 'dog')}

    expected = {
        key[len('architecture.'):]: value
        for key, value in source['state_dict'].items()
        if key.startswith('architecture.')
    }
    assert list(student['state_dict']) == list(expected)
    for key, value in expected.items():
        assert torch.equal(student['state_dict'][key], value), key
    n_teacher = sum(k.startswith('teacher.') for k in source['state_dict'])
    assert f'Kept {len(expected)} student tensors, dropped {n_teacher} ' \
        f'(teacher: {n_teacher})' in stdout
    assert f'Wrote student checkpoint to {dst}' in stdout


def _naive_scores(student_ckpt: str, image_folder: str):
    """Softmax scores of the student on the val images, computed here by
    hand: BGR PNG -> RGB, (x - 127.5) / 127.5, one forward."""
    from mmengine.config import Config
    from mmpretrain.registry import MODELS
    cfg = Config.fromfile(config_path('tiny_student_cls.py'))
    model = MODELS.build(cfg.model)
    state = torch.load(student_ckpt, map_location='cpu', weights_only=True)
    model.load_state_dict(state['state_dict'], strict=True)
    model.eval()
    scores = {}
    for path in sorted(glob.glob(osp.join(image_folder, 'val', '*',
                                          '*.png'))):
        rgb = cv2.imread(path)[..., ::-1].astype(np.float32)
        x = torch.from_numpy((rgb - 127.5) / 127.5).permute(2, 0, 1)[None]
        with torch.no_grad():
            logits = model(x, mode='tensor')
        scores[path] = logits.softmax(dim=1)[0]
    return scores


def test_student_evaluates_with_plain_mmpretrain(tmp_path, extracted,
                                                 image_folder):
    src, dst, _ = extracted
    options = ['--cfg-options', *data_root_options(image_folder)]
    plain_out = str(tmp_path / 'plain.pkl')
    plain = run_tool([
        'tools/test.py',
        config_path('tiny_student_cls.py'), dst, '--work-dir',
        str(tmp_path / 'plain'), '--out', plain_out, *options
    ])
    kd_out = str(tmp_path / 'kd.pkl')
    kd = run_tool([
        'tools/test.py',
        config_path('tiny_kd.py'), src, '--work-dir',
        str(tmp_path / 'kd'), '--out', kd_out, *options
    ])

    def top1(stdout):
        line = [ln for ln in stdout.splitlines() if 'Evaluated' in ln][-1]
        return float(line.split('accuracy/top1: ')[1].split(',')[0])

    assert top1(plain.stdout) == top1(kd.stdout)
    plain_preds, kd_preds = mmengine.load(plain_out), mmengine.load(kd_out)
    naive = _naive_scores(dst, image_folder)
    assert len(plain_preds) == len(kd_preds) == len(naive) == 8
    for p, k in zip(plain_preds, kd_preds):
        assert p['img_path'] == k['img_path']
        torch.testing.assert_close(p['pred_score'], k['pred_score'])
        torch.testing.assert_close(
            p['pred_score'], naive[p['img_path']], rtol=1e-4, atol=1e-5)
