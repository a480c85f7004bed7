#!/usr/bin/env python
"""Prune a PDD-trained student: remove the channels whose gate is 0, report
parameters and FLOPs before and after, and write the fine-tune config.

Usage::

    python tools/model_converters/pdd_prune.py CONFIG CHECKPOINT OUT
        [--finetune-config FILE] [--test] [--cfg-options KEY=VALUE ...]

CONFIG is the PDD training config (e.g. configs/pdd/r56pdd_r20pdd_c10_kd.py)
and CHECKPOINT its checkpoint (the authors' recipe: the best epoch on the
held-out split, ``best_accuracy_top1_epoch_*.pth``). FLOPs are reported in
two conventions: conv + linear MACs, and thop 0.1.1's rules (the PDD authors'
counter; see mmdccd/models/pruning/complexity.py). Written to OUT/:
``pruned_student.pth`` (the smaller dense student), ``finetune.py``
(inherits the config's ``pdd_finetune_config`` and sets the kept widths and
``load_from``) and ``report.json``. Fine-tune with
``tools/train.py OUT/finetune.py``; test with
``tools/test.py OUT/finetune.py CKPT``. ``--test`` also evaluates the pruned
student (before fine-tuning) on the config's test set; it equals the masked
student's accuracy.
"""
import argparse
import json
import os
import os.path as osp

import mmdccd  # noqa: F401
import torch
from mmengine.config import Config, DictAction
from mmengine.runner import load_checkpoint
from mmrazor.registry import MODELS

from mmdccd.models.pruning import (complexity_report,
                                   prune_classifier)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Remove the closed PDD channels of a trained student.')
    parser.add_argument('config', help='PDD training config')
    parser.add_argument('checkpoint', help='its checkpoint')
    parser.add_argument('out', help='output folder')
    parser.add_argument(
        '--finetune-config',
        help='fine-tune config to inherit; defaults to the training '
        "config's `pdd_finetune_config`, relative to its folder")
    parser.add_argument(
        '--test', action='store_true',
        help='evaluate the pruned student on the test set')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='overrides for the --test run, e.g. '
        'test_dataloader.dataset.data_root=data/cifar10')
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    finetune = args.finetune_config
    if finetune is None:
        if 'pdd_finetune_config' not in cfg:
            raise ValueError(
                f'{args.config} has no `pdd_finetune_config`; pass '
                '--finetune-config.')
        finetune = osp.join(osp.dirname(args.config), cfg.pdd_finetune_config)
    model_cfg = cfg.model.copy()
    if 'teacher_ckpt' in model_cfg:
        model_cfg['teacher_ckpt'] = None  # the teacher is not needed here
    model_cfg.setdefault('data_preprocessor', cfg.get('data_preprocessor'))
    model = MODELS.build(model_cfg)
    load_checkpoint(model, args.checkpoint, map_location='cpu')
    if hasattr(model, 'student'):
        student, student_cfg = model.student, cfg.model.architecture
    else:
        student, student_cfg = model, cfg.model
    student_cfg = student_cfg.to_dict() if hasattr(student_cfg,
                                                   'to_dict') else student_cfg
    student_cfg.pop('data_preprocessor', None)
    student.eval()
    pruned, widths, _ = prune_classifier(student, student_cfg)
    report = complexity_report(student, pruned)
    report['group_widths'] = widths

    os.makedirs(args.out, exist_ok=True)
    ckpt_path = osp.abspath(osp.join(args.out, 'pruned_student.pth'))
    torch.save(
        dict(
            state_dict=pruned.state_dict(),
            meta=dict(pdd_group_widths=widths, source=args.checkpoint)),
        ckpt_path)
    output_group = student.backbone.output_group
    head = ('' if output_group is None else
            f',\n    head=dict(in_channels={widths[output_group]})')
    cfg_path = osp.join(args.out, 'finetune.py')
    with open(cfg_path, 'w') as f:
        f.write(f'# Pruned by tools/model_converters/pdd_prune.py from '
                f'{args.checkpoint}.\n'
                f'_base_ = {osp.abspath(finetune)!r}\n\n'
                f'model = dict(\n'
                f'    backbone=dict(group_widths={widths!r}){head})\n'
                f'load_from = {ckpt_path!r}\n')

    if args.test:
        from mmengine.runner import Runner
        test_cfg = Config.fromfile(cfg_path)
        test_cfg.work_dir = osp.join(args.out, 'test')
        if args.cfg_options:
            test_cfg.merge_from_dict(args.cfg_options)
        runner = Runner.from_cfg(test_cfg)
        report['test_metrics_before_finetune'] = runner.test()

    with open(osp.join(args.out, 'report.json'), 'w') as f:
        json.dump(report, f, indent=2)
    print(f"parameters: {report['params_before']:,} -> "
          f"{report['params_after']:,} "
          f"({100 * report['params_removed']:.2f}% removed)")
    for key, label in (('flops', 'conv + linear MACs'),
                       ('thop_flops', "thop 0.1.1's rules")):
        print(f"FLOPs ({label}): {report[f'{key}_before']:,} -> "
              f"{report[f'{key}_after']:,} "
              f"({100 * report[f'{key}_removed']:.2f}% removed)")
    if 'test_metrics_before_finetune' in report:
        print(f"test metrics (pruned, before fine-tuning): "
              f"{report['test_metrics_before_finetune']}")
    print(f'pruned student: {ckpt_path}\nfine-tune config: {cfg_path}\n'
          f"report: {osp.join(args.out, 'report.json')}")
    return report


if __name__ == '__main__':
    main()
