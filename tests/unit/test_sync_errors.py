"""Where Neo4j dies during a load, the error says which stage stopped and that a re-run resumes.

The soak tests kill Neo4j at random moments; this pins the moments they reach only by chance.
"""

from pathlib import Path

import pytest

from graphkit.errors import ConnectionFailed
from graphkit.identity import Hasher
from graphkit.ingest import sync

LOST = ConnectionFailed("cannot reach Neo4j at bolt://127.0.0.1:7687 (IncompleteCommit)",
                        hint="start it with `graphkit neo4j start`, or fix NEO4J_URI")  # fmt: skip


def _lose_neo4j(*_args: object, **_kwargs: object) -> None:
    raise LOST


def _nothing(*_args: object, **_kwargs: object) -> None:
    return None


def _loaded(_db: object, mapping: sync.Mapping, *_args: object, **_kwargs: object) -> object:
    return sync.FeedResult(mapping.feed, "run", "ok")


@pytest.mark.parametrize("stage", ["schema", "feed", "benign"])
def test_neo4j_lost_at_any_stage_names_it_and_says_the_rerun_resumes(
    stage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "brands.csv").write_text("brand_id,name\nB1,Acme\n")
    monkeypatch.setattr(sync.schema, "apply", _lose_neo4j if stage == "schema" else _nothing)
    monkeypatch.setattr(sync.checkpoint, "check_key", _nothing)
    monkeypatch.setattr(sync, "run_feed", _lose_neo4j if stage == "feed" else _loaded)
    monkeypatch.setattr(sync.benign, "reapply", _lose_neo4j)

    with pytest.raises(ConnectionFailed) as caught:
        sync.run(object(), sync.Options(feeds_dir=tmp_path), Hasher("k"), feeds=None)  # type: ignore[arg-type]

    said = str(caught.value)
    where = {"schema": "loading stopped", "feed": "feed brands stopped",
             "benign": "after every feed had loaded"}[stage]  # fmt: skip
    assert where in said and "IncompleteCommit" in said
    assert "run the same command again" in said and "resumes from its last checkpoint" in said
