"""The soak's changing source (bench/soak_bench.py) releases every row, newer each step, with
updates, tombstones, duplicates and reordering (no database)."""

from __future__ import annotations

from collections import Counter

from bench.soak_bench import ChangingSource, read_rows
from graphkit.synth import generate


def test_the_source_releases_everything_newer_each_step_with_every_kind_of_change(tmp_path):
    generate(tmp_path / "market", scale="tiny", seed=11)
    market = tmp_path / "market" / "feeds"
    source = ChangingSource(market, tmp_path / "feeds", steps=6, seed=3)
    newest: dict[str, str] = {}
    changes = []
    for _ in range(6):
        changes.append(source.advance())
        for f in source.files:
            marks = [str(r[f.mapping.watermark]) for r in read_rows(f.path)]
            if f.fresh:  # the step's rows are newer than all before
                assert max(marks) > newest.get(f.path.name, "")
            newest[f.path.name] = max(marks)
    for f in source.files:
        key = f.mapping.key[0]
        released = {str(r[key]) for r in read_rows(f.path)}
        assert released == {str(r[key]) for r in read_rows(market / f.path.name)}, f.path.name
    assert sum(c.appended for c in changes) == sum(len(read_rows(p)) for p in market.iterdir())
    assert all(sum(getattr(c, kind) for c in changes) for kind in
               ("updated", "deleted", "duplicated", "reordered"))  # fmt: skip
    logins = [tuple(sorted(r.items())) for r in read_rows(tmp_path / "feeds" / "logins.jsonl")]
    assert max(Counter(logins).values()) > 1  # exact duplicates
    tombstones = [r for f in source.files if f.mapping.deleted for r in read_rows(f.path)
                  if r.get(f.mapping.deleted.column) in f.mapping.deleted.values]  # fmt: skip
    assert tombstones
