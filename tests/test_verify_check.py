"""The Check and Operand records: their own __init__ (faster than a frozen dataclass's)
takes the fields in order with their defaults, checks what it must, and stays frozen."""
from __future__ import annotations

import dataclasses
import inspect
from decimal import Decimal

import pytest

from kcextract.verifier.check import Check, Operand


@pytest.mark.parametrize("cls", [Check, Operand])
def test_init_takes_the_fields_in_order_with_their_defaults(cls):
    params = list(inspect.signature(cls).parameters.values())
    fields = dataclasses.fields(cls)
    assert [p.name for p in params] == [f.name for f in fields]
    assert [p.default for p in params] == [inspect.Parameter.empty if f.default is dataclasses.MISSING
                                           else f.default for f in fields]


def _check(**changes):
    args = dict(kind="sum", status="ok", claim_text="145 cơ sở", claim_start=3, claim_end=12,
                reported=Decimal(145))
    return Check(**{**args, **changes})


@pytest.mark.parametrize("bad", [{"kind": "product"}, {"status": "maybe"}, {"binding": "guessed"}])
def test_an_unknown_kind_status_or_binding_is_refused(bad):
    with pytest.raises(ValueError):
        _check(**bad)


def test_records_stay_frozen_and_replace_builds_a_new_one():
    check = _check(operands=(Operand("100", 0, 3, Decimal(100)),))
    with pytest.raises(dataclasses.FrozenInstanceError):
        check.status = "fail"
    with pytest.raises(dataclasses.FrozenInstanceError):
        check.operands[0].value = Decimal(1)
    failed = dataclasses.replace(check, status="fail", cause="rounding")
    assert (failed.status, failed.cause, failed.operands) == ("fail", "rounding", check.operands)
    assert check.status == "ok" and check.binding == "inferred" and check.expected is None


def test_equality_ignores_the_written_expected_value():
    assert _check(expected_text="145") == _check(expected_text="146")
    assert _check() != _check(claim_start=4)
    assert hash(_check(expected_text="1")) == hash(_check())
