"""The hub's GraphQL API (``POST /graphql``): the subset of snapshot-hub's schema govdesk reads,
with the real hub's argument caps (``first`` <= 1000, ``skip`` <= 5000) and default ordering."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, Final

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    build_schema,
    execute_sync,
    parse,
    validate,
)

from app.devnet.hub.config import SpaceConfig
from app.devnet.hub.store import HubStore
from app.devnet.hub.voting_power import VotingPowerSource

MAX_FIRST: Final = 1000
MAX_SKIP: Final = 5000

SDL: Final = """
scalar Any
type Strategy { name: String! network: String params: Any }
type Validation { name: String! params: Any }
type SpaceFilters { minScore: Float onlyMembers: Boolean }
type SpaceVoting {
  delay: Int period: Int type: String quorum: Float quorumType: String! blind: Boolean
  hideAbstain: Boolean privacy: String aliased: Boolean
}
type Space {
  id: String! name: String network: String symbol: String strategies: [Strategy]
  admins: [String] members: [String] moderators: [String] filters: SpaceFilters
  voting: SpaceVoting validation: Validation voteValidation: Validation
  proposalsCount: Int followersCount: Int verified: Boolean flagged: Boolean
  hibernated: Boolean turbo: Boolean
}
type Proposal {
  id: String! ipfs: String author: String! created: Int! updated: Int space: Space
  network: String! symbol: String! type: String title: String! body: String
  discussion: String! choices: [String]! labels: [String]! start: Int! end: Int!
  snapshot: Int state: String scores: [Float] scores_by_strategy: Any scores_total: Float
  scores_state: String scores_updated: Int votes: Int privacy: String app: String
  strategies: [Strategy]! validation: Validation plugins: Any! link: String quorum: Float!
  quorumType: String! flagged: Boolean
}
type Vote {
  id: String! ipfs: String voter: String! created: Int! space: Space! proposal: Proposal
  choice: Any! reason: String app: String metadata: Any vp: Float vp_by_strategy: [Float]
  vp_state: String
}
type Vp { vp: Float vp_by_strategy: [Float] vp_state: String }
type Follow {
  id: String! ipfs: String follower: String! space: Space! network: String! created: Int!
}
type Statement {
  id: String! ipfs: String! space: String! network: String about: String delegate: String
  statement: String discourse: String status: String source: String created: Int! updated: Int!
}
input StatementsWhere {
  id: String id_in: [String] ipfs: String ipfs_in: [String] space: String space_in: [String]
  network: String delegate: String delegate_in: [String] created: Int created_in: [Int]
  created_gt: Int created_gte: Int created_lt: Int created_lte: Int source: String
}
input SpaceWhere { id: String id_in: [String] }
input ProposalWhere {
  id: String id_in: [String] space: String space_in: [String] state: String author: String
  created_gte: Int created_lt: Int
}
input VoteWhere {
  id: String id_in: [String] space: String proposal: String proposal_in: [String]
  voter: String voter_in: [String] created_gt: Int created_gte: Int created_lt: Int
  created_lte: Int
}
input FollowWhere { follower: String follower_in: [String] space: String space_in: [String] }
enum OrderDirection { asc desc }
type Query {
  space(id: String!): Space
  spaces(first: Int! = 20, skip: Int! = 0, where: SpaceWhere, orderBy: String,
         orderDirection: OrderDirection): [Space]
  proposal(id: String!): Proposal
  proposals(first: Int! = 20, skip: Int! = 0, where: ProposalWhere, orderBy: String,
            orderDirection: OrderDirection): [Proposal]
  vote(id: String!): Vote
  votes(first: Int! = 20, skip: Int! = 0, where: VoteWhere, orderBy: String,
        orderDirection: OrderDirection): [Vote]
  vp(voter: String!, space: String!, proposal: String): Vp
  follows(first: Int! = 20, skip: Int! = 0, where: FollowWhere, orderBy: String,
          orderDirection: OrderDirection): [Follow]
  statements(first: Int! = 20, skip: Int! = 0, where: StatementsWhere, orderBy: String,
             orderDirection: OrderDirection): [Statement]
  statement(id: String!): Statement
}
"""

_VOTE_FILTERS: Final = {
    "id": "id = ?",
    "space": "space = ?",
    "proposal": "proposal = ?",
    "voter": "voter = ?",
    "created_gt": "created > ?",
    "created_gte": "created >= ?",
    "created_lt": "created < ?",
    "created_lte": "created <= ?",
}
_PROPOSAL_FILTERS: Final = {
    "id": "id = ?",
    "space": "space = ?",
    "author": "author = ?",
    "created_gte": "created >= ?",
    "created_lt": "created < ?",
}
_STATE_FILTERS: Final = {
    "pending": "start > ?",
    "active": 'start <= ? AND ? < "end"',
    "closed": '"end" <= ?',
}


def _limits(first: int, skip: int) -> None:
    if first > MAX_FIRST:
        raise GraphQLError(f"The `first` argument must not be greater than {MAX_FIRST}")
    if skip > MAX_SKIP:
        raise GraphQLError(f"The `skip` argument must not be greater than {MAX_SKIP}")
    if first < 0 or skip < 0:
        raise GraphQLError("The `first` and `skip` arguments must not be negative")


def _where(where: Mapping[str, Any] | None, simple: Mapping[str, str]) -> tuple[str, list[Any]]:
    clauses, params = ["1 = 1"], []
    for key, value in (where or {}).items():
        if value is None:
            continue
        if key in simple:
            clauses.append(simple[key])
            params.append(value)
        elif key.endswith("_in") and key[:-3] in simple:
            clauses.append(f"{key[:-3]} IN ({', '.join('?' * len(value))})" if value else "0")
            params.extend(value)
    return " AND ".join(clauses), params


class HubQueries:
    """The GraphQL root: one method per query field (graphql-core calls them with ``info``)."""

    def __init__(
        self,
        store: HubStore,
        spaces: Mapping[str, SpaceConfig],
        power: VotingPowerSource,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store, self._spaces, self._power, self._clock = store, spaces, power, clock

    def _space_out(self, space_id: str) -> dict[str, Any] | None:
        space = self._spaces.get(space_id)
        if space is None:
            return None
        out = space.to_graphql()
        out["proposalsCount"] = self._count("proposals WHERE deleted = 0 AND space = ?", space_id)
        out["followersCount"] = self._count("follows WHERE space = ?", space_id)
        return out

    def _count(self, where_sql: str, *params: Any) -> int:
        row = self._store.one(f"SELECT COUNT(*) AS n FROM {where_sql}", params)  # noqa: S608
        return int(row["n"]) if row else 0

    def _proposal_out(self, row: dict[str, Any]) -> dict[str, Any]:
        now = int(self._clock())
        state = "pending" if row["start"] > now else "active" if now < row["end"] else "closed"
        return {
            **row,
            "state": state,
            "snapshot": int(row["snapshot"]),
            "quorumType": "default",
            "space": self._space_out(row["space"]),
            "votes": self._count("votes WHERE proposal = ?", row["id"]),
            "link": f"http://localhost/#/{row['space']}/proposal/{row['id']}",
            "quorum": float(row.get("quorum") or 0.0),
        }

    def space(self, _info: Any, id: str) -> dict[str, Any] | None:
        return self._space_out(id)

    def spaces(
        self, _info: Any, first: int, skip: int, where: Mapping[str, Any] | None = None, **_: Any
    ) -> list[dict[str, Any]]:
        _limits(first, skip)
        ids = sorted(self._spaces)
        if where and where.get("id"):
            ids = [i for i in ids if i == where["id"]]
        if where and where.get("id_in") is not None:
            ids = [i for i in ids if i in where["id_in"]]
        return [s for i in ids[skip : skip + first] if (s := self._space_out(i))]

    def proposal(self, _info: Any, id: str) -> dict[str, Any] | None:
        row = self._store.proposal(id)
        return self._proposal_out(row) if row else None

    def proposals(self, _info: Any, **args: Any) -> list[dict[str, Any]]:
        first, skip, where = args["first"], args["skip"], args.get("where")
        _limits(first, skip)
        clause, params = _where(where, _PROPOSAL_FILTERS)
        state = (where or {}).get("state")
        if state in _STATE_FILTERS:
            now = int(self._clock())
            clause += " AND " + _STATE_FILTERS[state]
            params.extend([now] * _STATE_FILTERS[state].count("?"))
        order = args.get("orderBy")
        column = order if order in {"created", "start", "end"} else "created"
        direction = "ASC" if args.get("orderDirection") == "asc" else "DESC"
        rows = self._store.query(
            f'SELECT * FROM proposals WHERE deleted = 0 AND {clause} ORDER BY "{column}"'  # noqa: S608
            f" {direction}, id ASC LIMIT ? OFFSET ?",
            (*params, first, skip),
        )
        return [self._proposal_out(r) for r in rows]

    def _vote_out(self, row: dict[str, Any]) -> dict[str, Any]:
        # Resolved only when a query asks for them (graphql-core calls a callable field value):
        # a page of 1,000 votes would otherwise look up and count its proposal 1,000 times.
        space, proposal = row["space"], row["proposal"]
        return {
            **row,
            "space": lambda *_a, **_k: self._space_out(space),
            "proposal": lambda *_a, **_k: self.proposal(None, proposal),
        }

    def vote(self, _info: Any, id: str) -> dict[str, Any] | None:
        row = self._store.one("SELECT * FROM votes WHERE id = ?", (id,))
        return self._vote_out(row) if row else None

    def votes(self, _info: Any, **args: Any) -> list[dict[str, Any]]:
        first, skip, where = args["first"], args["skip"], args.get("where")
        _limits(first, skip)
        clause, params = _where(where, _VOTE_FILTERS)
        column = "vp" if args.get("orderBy") == "vp" else "created"
        direction = "ASC" if args.get("orderDirection") == "asc" else "DESC"
        rows = self._store.query(
            f"SELECT * FROM votes WHERE {clause} ORDER BY {column} {direction}, id ASC"  # noqa: S608
            " LIMIT ? OFFSET ?",
            (*params, first, skip),
        )
        return [self._vote_out(r) for r in rows]

    def vp(self, _info: Any, voter: str, space: str, proposal: str | None = None) -> dict[str, Any]:
        config = self._spaces.get(space)
        if config is None:
            raise GraphQLError("space not found")
        strategies: Any = config.to_graphql()["strategies"]
        snapshot = None
        if proposal:
            row = self._store.proposal(proposal)
            if row is None:
                raise GraphQLError("proposal not found")
            strategies, snapshot = row["strategies"], row["snapshot"]
        power = self._power.voting_power(voter, strategies, snapshot, space=space)
        return {
            "vp": power.vp,
            "vp_by_strategy": list(power.vp_by_strategy),
            "vp_state": power.vp_state,
        }

    def follows(
        self, _info: Any, first: int, skip: int, where: Mapping[str, Any] | None = None, **_: Any
    ) -> list[dict[str, Any]]:
        _limits(first, skip)
        clause, params = _where(where, {"follower": "follower = ?", "space": "space = ?"})
        rows = self._store.query(
            f"SELECT * FROM follows WHERE {clause} ORDER BY created DESC, id ASC"  # noqa: S608
            " LIMIT ? OFFSET ?",
            (*params, first, skip),
        )
        return [{**r, "space": self._space_out(r["space"])} for r in rows]

    def statements(
        self, _info: Any, first: int, skip: int, where: Mapping[str, Any] | None = None,
        orderDirection: str = "desc",  # noqa: N803 - the GraphQL argument's name
        **_: Any,
    ) -> list[dict[str, Any]]:  # fmt: skip
        """Delegate statements, newest first unless asked otherwise (the hub's default)."""
        _limits(first, skip)
        clause, params = _where(where, _STATEMENT_FILTERS)
        direction = "ASC" if orderDirection == "asc" else "DESC"
        return self._store.query(
            f"SELECT * FROM statements WHERE {clause}"  # noqa: S608
            f" ORDER BY created {direction}, id ASC LIMIT ? OFFSET ?",
            (*params, first, skip),
        )

    def statement(self, _info: Any, id: str) -> dict[str, Any] | None:
        return self._store.one("SELECT * FROM statements WHERE id = ?", (id,))


_STATEMENT_FILTERS: Final = {
    "id": "id = ?",
    "ipfs": "ipfs = ?",
    "space": "space = ?",
    "network": "network = ?",
    "delegate": "delegate = ?",
    "source": "source = ?",
    "created": "created = ?",
    "created_gt": "created > ?",
    "created_gte": "created >= ?",
    "created_lt": "created < ?",
    "created_lte": "created <= ?",
}


def make_schema() -> GraphQLSchema:
    return build_schema(SDL)


class Documents:
    """Parsed and validated queries by their text, as GraphQL servers keep them: a client sends
    the same few queries again and again (every page of votes), and parsing and validating one
    costs more than answering a small one. At most ``size`` kept; the oldest goes first."""

    def __init__(self, schema: GraphQLSchema, size: int = 256) -> None:
        self.schema, self._size = schema, size
        self._known: OrderedDict[str, DocumentNode | list[GraphQLError]] = OrderedDict()

    def get(self, query: str) -> DocumentNode | list[GraphQLError]:
        """The query's document, or the errors that make it unanswerable (syntax, validation)."""
        found = self._known.get(query)
        if found is None:
            found = self._prepare(query)
            self._known[query] = found
            if len(self._known) > self._size:
                self._known.popitem(last=False)
        return found

    def _prepare(self, query: str) -> DocumentNode | list[GraphQLError]:
        try:
            document = parse(query)
        except GraphQLError as error:
            return [error]
        return validate(self.schema, document) or document


def run_query(
    documents: Documents, root: HubQueries, query: str, variables: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Execute one GraphQL request; the result dict is the HTTP response body."""
    document = documents.get(query)
    if isinstance(document, list):
        return {"data": None, "errors": [{"message": e.message} for e in document]}
    result = execute_sync(
        documents.schema, document, root_value=root, variable_values=dict(variables or {})
    )
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [{"message": e.message} for e in result.errors]
    return body
