"""Batching of projection plans: runs of one shape share an UNWIND, order is kept, parameters are rows."""

from __future__ import annotations

from services.graph.projection import queries as projection_queries
from services.graph.projection.statements import Statement
from services.graph.store.batch_queries import ROW
from services.graph.store.batch_write import batched, regrouped

A = "MATCH (e:Engagement {id: $engagement_id}) SET e.x = $x"
B = "MATCH (p:Prefecture {name: $name})\nCALL (p) { UNWIND $rows AS r MERGE (:M {code: r}) }"


def test_runs_of_the_same_shape_become_one_statement_in_order() -> None:
    plans = [
        [Statement(A, {"engagement_id": "e1", "x": 1})],
        [Statement(A, {"engagement_id": "e2", "x": 2})],
        [Statement(B, {"name": "岩手県", "rows": ["032034"]})],
        [Statement(A, {"engagement_id": "e1", "x": 3})],
        [],
    ]
    out = batched(plans)
    assert len(out) == 3
    assert out[0].params == {"rows": [{"s0_engagement_id": "e1", "s0_x": 1}, {"s0_engagement_id": "e2", "s0_x": 2}]}
    assert f"{ROW}.s0_engagement_id" in out[0].query
    assert "$engagement_id" not in out[0].query
    assert out[2].params["rows"] == [{"s0_engagement_id": "e1", "s0_x": 3}]


def test_nested_subqueries_import_the_row() -> None:
    (statement,) = batched([[Statement(B, {"name": "岩手県", "rows": []})]])
    assert f"CALL ({ROW}, p) {{ UNWIND {ROW}.s0_rows AS r" in statement.query


def test_a_plan_of_several_statements_stays_together() -> None:
    (statement,) = batched(
        [[Statement(A, {"engagement_id": "e", "x": 1}), Statement(B, {"name": "n", "rows": []})]] * 2
    )
    assert statement.query.count(f"CALL ({ROW}) {{") == 3  # the row, then one per statement
    assert statement.params["rows"][0] == {"s0_engagement_id": "e", "s0_x": 1, "s1_name": "n", "s1_rows": []}


def test_no_projection_statement_uses_the_row_name() -> None:
    texts = [v for v in vars(projection_queries).values() if isinstance(v, str)]
    texts += [
        t for v in vars(projection_queries).values() if isinstance(v, dict) for t in v.values() if isinstance(t, str)
    ]
    assert texts
    assert not [t for t in texts if ROW in t]


def _plan(query: str, value: int) -> list[Statement]:
    return [Statement(query, {"engagement_id": "e", "x": value})]


def _xs(statement: Statement) -> list[int]:
    return [row["s0_x"] for row in statement.params["rows"]]


def test_commuting_plans_of_one_shape_share_a_statement_in_order() -> None:
    out = regrouped(
        [
            (_plan(A, 1), {"stream:a": "write"}),
            (_plan(B, 2), {"stream:b": "write"}),
            (_plan(A, 3), {"stream:c": "write"}),
            (_plan(B, 4), {"stream:d": "write"}),
            ([], None),
        ]
    )
    assert [s.query for s in out] == [batched([_plan(A, 0)])[0].query, batched([_plan(B, 0)])[0].query]
    assert [_xs(s) for s in out] == [[1, 3], [2, 4]]


def test_a_plan_never_moves_before_one_it_shares_a_key_with() -> None:
    out = regrouped(
        [
            (_plan(A, 1), {"stream:a": "write"}),
            (_plan(B, 2), {"stream:a": "write", "official:o": "write"}),
            (_plan(A, 3), {"stream:c": "write", "official:o": "read"}),  # after 2: a new A statement
            (_plan(A, 4), {"stream:d": "write"}),  # free: joins the latest A statement
            (_plan(B, 5), {"stream:c": "write"}),  # after 3
        ]
    )
    assert [_xs(s) for s in out] == [[1], [2], [3, 4], [5]]


def test_a_barrier_keeps_its_place_against_every_plan() -> None:
    out = regrouped(
        [
            (_plan(A, 1), {"stream:a": "write"}),
            (_plan(B, 2), {"stream:b": "write"}),
            (_plan(A, 3), None),
            (_plan(B, 4), {"stream:c": "write"}),
            (_plan(A, 5), {"stream:d": "write"}),
        ]
    )
    assert [_xs(s) for s in out] == [[1], [2], [3, 5], [4]]  # 5 passes 4 (they commute), never 3


def test_reads_pass_reads_and_records_pass_records_of_one_stream() -> None:
    out = regrouped(
        [
            (_plan(A, 1), {"stream:a": "record", "official:o": "read"}),
            (_plan(B, 2), {"stream:a": "record", "official:o": "read"}),
            (_plan(A, 3), {"stream:a": "record", "official:o": "read"}),  # passes 2: records, reads
            (_plan(B, 4), {"stream:a": "write"}),  # after 1, 2, 3: joins 2
            (_plan(A, 5), {"stream:b": "write", "official:o": "write"}),  # after the reads of o: a new A
        ]
    )
    assert [_xs(s) for s in out] == [[1, 3], [2, 4], [5]]
