"""beta='balanced': the CCD weight from the loss values of the first
iterations, then fixed."""
import pytest
import torch

from mmdccd.models.algorithms.balanced_beta import BalancedBeta
from tests.test_models.test_algorithms.test_dccd import batch, build


def test_running_estimate_then_fixed():
    est = BalancedBeta(num_iters=2)
    t = torch.tensor
    # iteration 1: mean other term (1 + 3) / 2 = 2 against CCD 4
    assert float(est([t(1.0), t(3.0)], t(4.0))) == pytest.approx(0.5)
    # iteration 2: sums (2 + 2) / (4 + 1)
    assert float(est([t(2.0)], t(1.0))) == pytest.approx(0.8)
    # fixed after K = 2 iterations
    assert float(est([t(100.0)], t(1.0))) == pytest.approx(0.8)
    assert int(est.count) == 2
    # a resumed run keeps it
    resumed = BalancedBeta(num_iters=2)
    resumed.load_state_dict(est.state_dict())
    assert float(resumed([t(5.0)], t(1.0))) == pytest.approx(0.8)


def test_needs_another_term():
    with pytest.raises(ValueError, match='needs another loss term'):
        BalancedBeta()([], torch.tensor(1.0))


def test_dccd_balanced_first_iteration_equals_mean_of_other_terms():
    torch.manual_seed(0)
    plain = build(beta=1.0)
    balanced = build(beta='balanced', balance_iters=3)
    balanced.load_state_dict(plain.state_dict(), strict=False)
    raw, out = ({
        k: float(v.detach())
        for k, v in model(
            **model.data_preprocessor(batch(), training=True),
            mode='loss').items()
    } for model in (plain, balanced))
    others = [raw['student.loss'], raw['distill.loss_kd'],
              raw['distill.loss_dkd']]
    mean = sum(others) / 3
    # beta * L_CCD = mean(CE, KD, DKD) at the first iteration
    assert out['distill.beta'] == pytest.approx(mean / raw['distill.loss_ccd'],
                                                rel=1e-5)
    assert out['distill.loss_ccd'] == pytest.approx(mean, rel=1e-5)
    for k in ('student.loss', 'distill.loss_kd', 'distill.loss_dkd'):
        assert out[k] == pytest.approx(raw[k], rel=1e-6)


def test_dccd_rejects_other_strings():
    with pytest.raises(ValueError, match="'balanced'"):
        build(beta='auto')
