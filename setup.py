"""Install mmdccd.

``pip install -e .`` (or ``mim install -e .``) installs the ``mmdccd`` package;
``tools/`` and ``configs/`` are made reachable through ``mmdccd/.mim`` as
OpenMMLab's ``mim`` expects: symbolic links for editable installs, copies
otherwise.
"""
import os
import os.path as osp
import shutil
import sys

from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))


def read_requirements(name):
    """Requirement lines of ``requirements/<name>.txt``, ``-r other.txt``
    lines expanded."""
    with open(osp.join(HERE, 'requirements', f'{name}.txt')) as f:
        lines = [line.split('#')[0].strip() for line in f]
    requirements = []
    for line in filter(None, lines):
        if line.startswith('-r '):
            requirements += read_requirements(
                osp.splitext(line[3:].strip())[0])
        else:
            requirements.append(line)
    return requirements


def version():
    namespace = {}
    with open(osp.join(HERE, 'mmdccd', 'version.py')) as f:
        exec(f.read(), namespace)
    return namespace['__version__']


def add_mim_extension():
    """Expose ``tools``, ``configs`` and ``model-index.yml`` to mim."""
    editable = 'develop' in sys.argv or any(
        arg.startswith('editable') for arg in sys.argv)
    if not editable and not {'install', 'bdist_wheel', 'sdist'} & set(
            sys.argv):
        return
    mim_dir = osp.join(HERE, 'mmdccd', '.mim')
    os.makedirs(mim_dir, exist_ok=True)
    for name in ('tools', 'configs', 'model-index.yml'):
        src = osp.join(HERE, name)
        dst = osp.join(mim_dir, name)
        if not osp.exists(src):
            continue
        if osp.islink(dst) or osp.isfile(dst):
            os.remove(dst)
        elif osp.isdir(dst):
            shutil.rmtree(dst)
        if editable:
            os.symlink(osp.relpath(src, mim_dir), dst)
        elif osp.isdir(src):
            shutil.copytree(src, dst)
        else:
            shutil.copyfile(src, dst)


if __name__ == '__main__':
    add_mim_extension()
    setup(
        name='mmdccd',
        version=version(),
        description='DCCD: difference-based channel contrastive distillation '
        'for OpenMMLab (mmrazor / mmpretrain)',
        long_description=open(osp.join(HERE, 'README.md')).read(),
        long_description_content_type='text/markdown',
        keywords='knowledge distillation, model compression, OpenMMLab',
        packages=find_packages(exclude=('configs', 'tools', 'tests')),
        include_package_data=True,
        package_data={'mmdccd': ['.mim/**/*', '.mim/*']},
        python_requires='>=3.8',
        license='Apache License 2.0',
        install_requires=read_requirements('runtime') +
        read_requirements('mminstall'),
        extras_require={
            'tests': read_requirements('tests'),
            'mim': read_requirements('mminstall'),
            'timm': read_requirements('timm'),
            'onnx': read_requirements('onnx'),
            'analysis': read_requirements('analysis'),
            'all': read_requirements('runtime') +
            read_requirements('mminstall') + read_requirements('tests'),
        },
        zip_safe=False)
