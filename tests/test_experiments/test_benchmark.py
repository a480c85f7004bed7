"""mmdccd.experiments.benchmark: the shipped configs' batches, the floor's
arithmetic, shuffled rounds, ratios with quartiles, the profile's parts."""
import copy
import os

import pytest
import torch
import torch.nn.functional as F

from mmdccd.experiments import benchmark

PAIR = 'resnet56-resnet20'


@pytest.fixture
def restore_threads():
    """Tests that pin threads give the process back its cores."""
    cores, threads = os.sched_getaffinity(0), torch.get_num_threads()
    yield
    os.sched_setaffinity(0, cores)
    torch.set_num_threads(threads)


def test_quartiles_and_summary_by_hand():
    assert benchmark.quartiles([1, 2, 3, 4]) == (1.75, 2.5, 3.25)
    medians = dict(floor=[1.0, 2.0, 4.0], dccd=[1.1, 2.4, 4.0])
    summary = benchmark.summarise(medians)
    # per-round ratios 1.1, 1.2, 1.0: median 1.1, quartiles 1.05 and 1.15
    assert summary['dccd']['sec'] == 2.4
    assert summary['dccd']['ratio'] == pytest.approx(1.1)
    assert summary['dccd']['q1'] == pytest.approx(1.05)
    assert summary['dccd']['q3'] == pytest.approx(1.15)
    assert summary['dccd']['iqr'] == pytest.approx(0.1)
    assert summary['floor']['ratio'] == 1.0
    assert 'ratio' not in benchmark.summarise(dict(kd=[1.0]))['kd']


def test_rounds_interleave_every_method_in_shuffled_orders():
    calls = []
    steps = {m: (lambda m=m: calls.append(m)) for m in 'abcd'}
    medians = benchmark.run_rounds(steps, rounds=6, iters=2, warmup=1,
                                   device='cpu', seed=0)
    assert {m: len(v) for m, v in medians.items()} == dict(a=6, b=6, c=6,
                                                           d=6)
    # a pass: every method once, each its warm-up iteration then its timed
    # one back to back; rounds x iters passes, nothing else
    passes = [calls[i:i + 8] for i in range(0, len(calls), 8)]
    assert len(calls) == 6 * 2 * 8
    assert all(p[0::2] == p[1::2] for p in passes)
    assert all(sorted(p[0::2]) == list('abcd') for p in passes)
    assert len(set(tuple(p[0::2]) for p in passes)) > 1  # a new order each


def test_config_paths_and_unknown_names():
    assert benchmark.config_of(PAIR, 'floor') == benchmark.config_of(
        PAIR, 'dccd')
    assert benchmark.config_of('r34-r18', 'crd') is None
    with pytest.raises(ValueError, match='unknown method'):
        benchmark.config_of(PAIR, 'dkd')
    for pair, methods in benchmark.PAIRS.items():
        for method in benchmark.METHODS:
            path = benchmark.config_of(pair, method)
            assert path is None or os.path.isfile(path), path


def test_packed_batches_are_what_the_configs_pipelines_give():
    load = benchmark.load_config
    dccd = benchmark.packed_batch(
        load(benchmark.config_of(PAIR, 'dccd')), 3, 32)
    # views drawn in the preprocessor: b packed uint8 images, one view
    assert [tuple(v.shape) for v in dccd['inputs']] == [(3, 32, 32)] * 3
    assert dccd['inputs'][0].dtype == torch.uint8
    assert [int(s.gt_label) for s in dccd['data_samples']] == [0, 1, 2]
    dualview = benchmark.packed_batch(
        load(benchmark.config_of(PAIR, 'dccd-dualview')), 3, 32)
    assert len(dualview['inputs']) == 2  # views, each b uint8 crops
    assert [tuple(v.shape) for v in dualview['inputs'][1]] == [(3, 32, 32)] * 3
    cfg = load(benchmark.config_of(PAIR, 'crd'))
    crd = benchmark.packed_batch(cfg, 2, 32)
    sample = crd['data_samples'][1]
    assert int(sample.sample_idx) == 1
    assert sample.contrast_sample_idxs.shape == (16385, )
    assert int(sample.contrast_sample_idxs[0]) == 1


def _tiny_classifier(depth: int) -> torch.nn.Module:
    from mmpretrain.registry import MODELS
    return MODELS.build(
        dict(type='ImageClassifier',
             backbone=dict(type='CIFARResNet', depth=depth),
             neck=dict(type='GlobalAveragePooling'),
             head=dict(type='LinearClsHead', num_classes=5, in_channels=64)))


def test_floor_step_is_teacher_forward_and_one_sgd_step_of_ce():
    torch.manual_seed(0)
    student, teacher = _tiny_classifier(8), _tiny_classifier(8)
    x, y = torch.randn(4, 3, 8, 8), torch.tensor([0, 1, 2, 3])
    floor = benchmark.FloorStep(student, teacher, x, y,
                                dict(lr=0.1, momentum=0.9,
                                     weight_decay=0.01, type='SGD'))
    assert not floor.teacher.training and floor.student.training
    teacher_before = copy.deepcopy(floor.teacher.state_dict())
    # naive: CE on the student's logits, first SGD step w - lr (g + wd w)
    naive = copy.deepcopy(floor.student)
    loss = F.cross_entropy(naive(x, mode='tensor'), y)
    grads = torch.autograd.grad(loss, list(naive.parameters()))
    want = [p - 0.1 * (g + 0.01 * p) for p, g in zip(naive.parameters(),
                                                    grads)]
    floor()
    for got, w in zip(floor.student.parameters(), want):
        torch.testing.assert_close(got, w)
    for k, v in floor.teacher.state_dict().items():
        torch.testing.assert_close(v, teacher_before[k])  # BN stats too


def test_labelled_parts_exclusive_times_and_operator_counts():
    a, b = torch.ones(3), torch.ones(3)

    def work():
        with torch.profiler.record_function('outer'):
            torch.add(a, b)
            torch.add(a, b)
            with torch.profiler.record_function('inner'):
                torch.mul(a, b)

    with torch.profiler.profile() as prof:
        work()
    events = prof.events()
    counts = benchmark.part_operator_counts(events, ('outer', 'inner'), 1)
    assert counts == dict(outer=2, inner=1)
    total = {e.name: e.cpu_time_total for e in events}
    times = benchmark._exclusive_times(events, ('outer', 'inner'))
    assert times['inner'] == total['inner']
    assert times['outer'] == pytest.approx(total['outer'] - total['inner'])


def test_extra_operators_most_extra_calls_first():
    extra = benchmark.extra_operators(
        {'aten::mul': 5, 'aten::add': 10, 'aten::conv2d': 3},
        {'aten::add': 9, 'aten::conv2d': 3})
    assert extra == [('aten::mul', 5, 0.0), ('aten::add', 10, 9)]


def test_pin_threads(restore_threads):
    line = benchmark.pin_threads(1)
    assert torch.get_num_threads() == 1
    assert len(os.sched_getaffinity(0)) == 1
    assert line.startswith('1 threads pinned to cores [')
    with pytest.raises(ValueError, match='exceeds the 1 cores'):
        benchmark.pin_threads(2)


def test_pair_tiny_rounds_and_profile(restore_threads):
    """floor, DCCD and DCCD with per-sample views on the shipped resnet56 ->
    resnet20 configs, b = 2: ratios to the floor, and a breakdown whose
    parts add up and whose recorders run no tensor operator."""
    torch.set_num_threads(1)
    out = benchmark.benchmark_pair(PAIR, ['floor', 'dccd', 'dccd-dualview'],
                                   2, rounds=2, iters=1, warmup=0,
                                   device='cpu', profile=1, log=lambda s: 0)
    rows = {r['method']: r for r in out['results']}
    assert list(rows) == ['floor', 'dccd', 'dccd-dualview']
    assert rows['floor']['ratio'] == 1.0 and rows['dccd']['rows'] == 4
    parts, ops = out['breakdown'], out['breakdown_ops']
    assert parts['total'] == pytest.approx(
        sum(parts[p] for p in benchmark.PARTS))
    assert min(parts.values()) >= 0
    assert ops['recorders'] == 0
    assert all(n > floor for _, n, floor in out['extra_operators'])
    assert all(r['page_faults'] >= 0 for r in rows.values())
    table = benchmark.format_table(out['results'], 'cpu')
    assert '| resnet56-resnet20 | dccd | 2 x 2 (4) |' in table
    assert '| page faults / iter |' in table
    text = benchmark.format_breakdown(PAIR, parts, ops, out['floor_ms'])
    assert '| recorders |' in text and 'floor (profiled)' in text


def test_breakdown_labels_the_parts_and_restores_the_model():
    from mmrazor.models.task_modules.recorder.base_recorder import \
        BaseRecorder
    step = benchmark.method_step(PAIR, 'dccd', 2, 'cpu')
    model = step.model

    def recorder_hooks():
        return [h for m in model.modules() for h in m._forward_hooks.values()
                if isinstance(getattr(h, '__self__', None), BaseRecorder)]

    hooks = recorder_hooks()
    assert len(hooks) == 4  # feature and logits, student and teacher
    parts, ops, _ = benchmark.profile_breakdown(step, 1, 'cpu')
    # every convolution, BN and the linear layer of the teacher is a
    # top-level call in the teacher's part (ReLUs and additions on top)
    layers = sum(
        isinstance(m, (torch.nn.Conv2d, torch.nn.BatchNorm2d,
                       torch.nn.Linear)) for m in model.teacher.modules())
    assert ops['teacher forward'] > layers
    assert parts['teacher forward'] > 0 and parts['recorders'] >= 0
    for obj in (model, model.data_preprocessor, model.teacher, model.student,
                model.distiller, step.optim_wrapper):
        assert not {'forward', 'train_step', 'update_params',
                    'compute_distill_losses'} & set(vars(obj))
    assert recorder_hooks() == hooks


@pytest.mark.cuda
def test_pair_on_the_gpu_reports_step_memory():
    out = benchmark.benchmark_pair(PAIR, ['floor', 'kd', 'dccd'], 4,
                                   rounds=2, iters=2, warmup=1,
                                   device='cuda', profile=1, log=lambda s: 0)
    rows = {r['method']: r for r in out['results']}
    assert set(rows) == {'floor', 'kd', 'dccd'}
    assert all(r['peak_mem_mib'] > 0 for r in rows.values())
    assert out['breakdown']['teacher forward'] > 0
    assert '| peak step memory (MiB) |' in benchmark.format_table(
        out['results'], 'cuda')


def test_fast_path_variants_change_one_lever_each():
    """The variants are DCCD's config with one lever changed: the teacher's
    forward alone through the fast copy (resnet56's 57 BatchNorms, each
    after a convolution, folded) or the registered teacher, and the model
    switch off for ``dccd-eager``."""
    for method in ('floor-bf16', 'dccd-eager', 'dccd-bf16', 'dccd-compiled',
                   'dccd-cl', 'teacher-eager', 'teacher-fast',
                   'teacher-fast-cl'):
        assert benchmark.config_of(PAIR, method) == benchmark.config_of(
            PAIR, 'dccd')
    fast = benchmark.method_step(PAIR, 'teacher-fast', 2, 'cpu')
    assert len(fast.fast.folded) == 57 and fast.teacher is fast.fast.copy
    eager = benchmark.method_step(PAIR, 'teacher-eager', 2, 'cpu')
    assert eager.fast is None
    nhwc = benchmark.method_step(PAIR, 'teacher-fast-cl', 2, 'cpu')
    fast(), eager(), nhwc()
    # the copy's layout on the CPU: contiguous by default, NHWC on request
    assert fast.fast._memory_format is torch.contiguous_format
    assert nhwc.fast._memory_format is torch.channels_last

    def conv_weight(step):  # a 3 x 3 convolution over many channels
        return next(m.weight for m in step.fast.copy.modules()
                    if isinstance(m, torch.nn.Conv2d) and m.in_channels > 1
                    and m.kernel_size == (3, 3))

    assert conv_weight(nhwc).is_contiguous(memory_format=torch.channels_last)
    assert not conv_weight(fast).is_contiguous(
        memory_format=torch.channels_last)
    step = benchmark.method_step(PAIR, 'dccd-eager', 2, 'cpu')
    assert step.model.fast_teacher is False
    bf16 = benchmark.method_step(PAIR, 'floor-bf16', 2, 'cpu')
    assert bf16.autocast is True
