"""The single guarded write keeps each statement's parameters apart."""

from __future__ import annotations

from services.graph.projection.statements import Statement
from services.graph.store.event_write import guarded_write


def test_parameters_of_each_statement_are_prefixed_and_kept_apart() -> None:
    write = guarded_write(
        {"id": "e1", "subject": "s", "sequence": 1, "prev_hash": "0" * 64},
        [
            Statement("UNWIND $units AS u MERGE (:A {id: u})", {"units": [1]}),
            Statement("UNWIND $units AS u", {"units": [2]}),
        ],
    )
    assert write.params["s0_units"] == [1]
    assert write.params["s1_units"] == [2]
    assert "$s0_units" in write.query
    assert "$s1_units" in write.query
    assert "$units" not in write.query
    assert write.query.count("CALL () {") == 2
    assert write.params["sequence"] == 1
