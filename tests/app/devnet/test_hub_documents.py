"""The local hub keeps parsed queries: the same answers and errors as parsing every request."""

from __future__ import annotations

from graphql import graphql_sync

from app.devnet.hub import FixedVotingPower, LocalHub, space_from_dict
from app.devnet.hub.graphql_api import Documents, HubQueries, make_schema, run_query
from app.devnet.hub.store import HubStore

SPACE = space_from_dict({"id": "docs.eth", "strategies": [{"name": "t"}]})


def _root() -> HubQueries:
    return HubQueries(HubStore(), {SPACE.id: SPACE}, FixedVotingPower({}))


def test_kept_documents_answer_and_fail_as_a_fresh_parse_does() -> None:
    schema, root = make_schema(), _root()
    documents = Documents(schema)
    queries = [
        '{ space(id: "docs.eth") { id strategies { name } } }',
        "{ nope }",  # validation error
        "query {",  # syntax error
        "{ votes(first: 1001) { id } }",  # the hub's own limit, raised while executing
        "query Q($id: String!) { proposal(id: $id) { id } }",  # a missing variable
    ]
    for query in queries * 2:  # the second time from the kept documents
        fresh = graphql_sync(schema, query, root_value=root)
        body = run_query(documents, root, query, None)
        assert body["data"] == fresh.data
        assert [e["message"] for e in body.get("errors", [])] == [
            e.message for e in fresh.errors or []
        ]
    assert documents.get(queries[0]) is documents.get(queries[0])


def test_at_most_size_documents_are_kept_and_a_non_string_query_is_refused() -> None:
    documents = Documents(make_schema(), size=2)
    first = documents.get('{ space(id: "a") { id } }')
    documents.get('{ space(id: "b") { id } }')
    documents.get('{ space(id: "c") { id } }')
    assert documents.get('{ space(id: "a") { id } }') is not first  # dropped, parsed again
    with LocalHub([SPACE], FixedVotingPower({})) as hub:  # a query that is not text: a 400
        status, body = hub.graphql(b'{"query": 42}')
    assert status == 400
    assert body["errors"] == [{"message": "Must provide query string."}]
