#!/usr/bin/env python
"""List every module of a config's student and teacher with its input and
output shapes, the recorders DCCD uses and the feature widths it infers, so
that ``*_feat_source`` / ``*_logits_source`` can point anywhere::

    python tools/analysis_tools/list_modules.py \
        configs/any_pair/vit-b16-timm_r18_in1k.py --input-size 224

Networks are built randomly initialised (no checkpoint is read); one dry
forward each, on zeros.
"""
import argparse
import sys


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Modules of the student and the teacher with their '
        'shapes, and the recorders DCCD uses.')
    parser.add_argument('config', help='a config file')
    parser.add_argument(
        '--input-size',
        type=int,
        nargs='+',
        help='H or H W of the data (the student\'s input; the teacher\'s '
        'is teacher_input_size, else the size it declares). Default: the '
        'size a model declares, else 32 then 224')
    parser.add_argument(
        '--cfg-options', nargs='+', default=[], help='key=value overrides')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    from mmengine.config import Config, DictAction
    from mmengine.registry import DefaultScope, init_default_scope

    import mmdccd  # noqa: F401
    from mmdccd.models.utils.module_report import config_report
    from mmrazor.registry import MODELS
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        action = DictAction(option_strings=[], dest='cfg_options')
        options = argparse.Namespace()
        action(None, options, args.cfg_options)
        cfg.merge_from_dict(options.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope')):
        try:
            lines = config_report(cfg.model.to_dict(), MODELS.build,
                                  args.input_size)
        except ValueError as error:
            sys.exit(f'list_modules.py: {args.config}: {error}')
    print('\n'.join(lines).rstrip())


if __name__ == '__main__':
    main()
