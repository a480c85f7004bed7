"""Every config named in configs/dccd/README.md and metafile.yml exists and
loads; metafile names are the config basenames and hold the paper's
numbers (the same as the README's "Paper" column)."""
import os.path as osp
import re

import pytest
import yaml

from tests.test_configs.config_utils import load
from tests.utils import REPO_ROOT

DCCD_DIR = osp.join(REPO_ROOT, 'configs', 'dccd')
README = osp.join(DCCD_DIR, 'README.md')
METAFILE = osp.join(DCCD_DIR, 'metafile.yml')


def _readme_configs():
    text = open(README).read()
    links = re.findall(r'\]\(([^)]+\.py)\)', text)
    paths = {
        osp.relpath(osp.normpath(osp.join(DCCD_DIR, link)), REPO_ROOT)
        for link in links
    }
    paths |= set(re.findall(r'(configs/[\w./-]+\.py)', text))
    return sorted(p for p in paths if '{' not in p)


def _metafile():
    with open(METAFILE) as f:
        return yaml.safe_load(f)


def test_readme_names_many_configs():
    # Tables I and VII: 13 pairs x (KD, CRD, DCCD, DCCD*); plus ablations
    assert len(_readme_configs()) > 13 * 4


@pytest.mark.parametrize('path', _readme_configs())
def test_readme_config_exists_and_loads(path):
    assert osp.isfile(osp.join(REPO_ROOT, path)), path
    load(path)


@pytest.mark.parametrize(
    'model', _metafile()['Models'], ids=lambda m: m['Name'])
def test_metafile_model(model):
    path = model['Config']
    assert osp.isfile(osp.join(REPO_ROOT, path)), path
    assert model['Name'] == osp.splitext(osp.basename(path))[0]
    load(path)
    (result, ) = model['Results']
    assert result['Dataset'] == 'CIFAR-100'
    assert 'paper number' in result['Note']
    top1 = result['Metrics']['Top 1 Accuracy']
    # the README row linking this config shows the same paper number
    rel = osp.relpath(osp.join(REPO_ROOT, path), DCCD_DIR)
    rows = [
        line for line in open(README).read().splitlines()
        if f']({rel})' in line and 'Ours' not in line
    ]
    assert rows, f'{path} is not in the README tables'
    assert any(f'{top1:.2f}' in row.split('|') or f' {top1:.2f} ' in row
               for row in rows), (path, top1, rows)


def test_metafile_names_unique_and_model_index_imports_it():
    names = [m['Name'] for m in _metafile()['Models']]
    assert len(names) == len(set(names))
    with open(osp.join(REPO_ROOT, 'model-index.yml')) as f:
        index = yaml.safe_load(f)
    assert 'configs/dccd/metafile.yml' in index['Import']
    for path in index['Import']:
        assert osp.isfile(osp.join(REPO_ROOT, path))


def test_paper_numbers_spot_checks():
    """A few numbers typed in again from the paper's tables."""
    by_name = {m['Name']: m for m in _metafile()['Models']}
    expected = {
        'r56_r20_c100': 72.35,  # Table I, DCCD
        'r32x4_shv2_c100_star': 79.29,  # Table I, DCCD*
        'r110_r32_c100_star': 75.03,  # Table VII, DCCD*
        'wrn40-2_shv1_c100': 76.81,  # Table VII, DCCD
        'r32x4_r8x4_c100_dkd-kd': 74.59,  # Table VIII
        'r110_r32_c100_contrastive': 73.45,  # Table III
        'r56_r20_c100_t-mlp_s-linear': 71.56,  # Table V
        'vgg13_vgg8_c100_randerasing': 75.51,  # Table VI
    }
    for name, top1 in expected.items():
        metrics = by_name[name]['Results'][0]['Metrics']
        assert metrics['Top 1 Accuracy'] == pytest.approx(top1), name


def test_every_metafile_is_imported_and_names_its_configs():
    """mim reads model-index.yml: each folder's metafile is imported, and
    every model there is a config whose basename is the model name."""
    import glob
    with open(osp.join(REPO_ROOT, 'model-index.yml')) as f:
        imported = set(yaml.safe_load(f)['Import'])
    found = {
        osp.relpath(p, REPO_ROOT)
        for p in glob.glob(osp.join(REPO_ROOT, 'configs', '*', 'metafile.yml'))
    }
    assert found == imported
    for path in found:
        with open(osp.join(REPO_ROOT, path)) as f:
            models = yaml.safe_load(f)['Models']
        for m in models:
            assert osp.isfile(osp.join(REPO_ROOT, m['Config'])), m
            assert osp.splitext(osp.basename(m['Config']))[0] == m['Name']
