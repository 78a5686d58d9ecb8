"""The runner's guards: parameters, READ-only, timeout, row cap and the EXPLAIN cost guard."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.db import Database, QueryFailed
from graphkit.packs import catalog, run
from graphkit.packs.params import ParamError
from graphkit.packs.runner import CostRefused

RUNNER_QUERIES = catalog.load(Path(__file__).resolve().parent / "guards")


def test_unknown_param_names_query_and_allowed_params() -> None:
    with pytest.raises(ParamError) as err:
        run("identity.shared-identifier", db=None, min_acounts=3)
    assert "identity.shared-identifier" in str(err.value)
    assert "min_acounts" in str(err.value) and "min_accounts" in str(err.value)


def test_out_of_range_and_bad_choice_and_bad_type() -> None:
    with pytest.raises(ParamError, match=r"'max_identifier_degree' = 1 is out of range \[2, "):
        run("identity.shared-identifier", max_identifier_degree=1)
    with pytest.raises(ParamError, match="one of any, device, payment"):
        run("identity.shared-identifier", identifier="fax")
    with pytest.raises(ParamError, match="is not a int"):
        run("identity.shared-identifier", min_accounts="many")


@pytest.mark.integration
def test_canned_query_cannot_write(db: Database) -> None:
    with pytest.raises(QueryFailed) as err:
        run(RUNNER_QUERIES["runner.writes"], db, force=True)
    assert "read-only" in (err.value.hint or "")
    assert db.read("MATCH (s:Seller {seller_id: 'INJECTED'}) RETURN count(s) AS n")[0]["n"] == 0


@pytest.mark.integration
def test_timeout_is_enforced(db: Database) -> None:
    with pytest.raises(QueryFailed, match="TransactionTimedOut"):
        run(RUNNER_QUERIES["runner.slow"], db, force=True)


@pytest.mark.integration
def test_out_of_memory_fails_at_once_with_a_hint(db: Database) -> None:
    """Over the server's transaction memory (70% of the heap). The driver would retry the
    transient error (and run out again) and re-raise it; the runner fails at once."""
    with pytest.raises(QueryFailed, match="OutOfMemory") as failed:
        run(RUNNER_QUERIES["runner.big"], db, force=True, n=200_000_000)
    assert "GRAPHKIT_HEAP" in (failed.value.hint or "")
    assert run(RUNNER_QUERIES["runner.big"], db, force=True, n=1000)["n"].tolist() == [1000]


@pytest.mark.integration
def test_row_cap_truncates_and_flags(db: Database) -> None:
    frame = run(RUNNER_QUERIES["runner.many"], db)
    assert list(frame["x"]) == list(range(1, 11)) and frame.attrs["truncated"]
    assert not run(RUNNER_QUERIES["runner.many"], db, n=10).attrs["truncated"]


@pytest.mark.integration
def test_cost_guard_refuses_unless_forced(db: Database) -> None:
    db.write(
        "UNWIND range(1, 50) AS i MERGE (d:Device {device_id: 'D' + (i % 5)}) "
        "CREATE (:Seller {seller_id: 'S' + i})-[:USED_DEVICE]->(d)"
    )
    with pytest.raises(CostRefused, match="estimates"):
        run("identity.overlap-score", db, max_estimated_rows=5)
    assert len(run("identity.overlap-score", db, max_estimated_rows=5, force=True)) == 5 * 45
