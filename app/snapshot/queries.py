"""GraphQL query strings for the Snapshot hub, one constant each (fields govdesk reads)."""

from __future__ import annotations

from typing import Final

# The hub's resolver limits (snapshot-hub src/graphql): a page is at most 1,000 items, and
# ``skip`` at most 5,000.
MAX_FIRST: Final = 1000
MAX_SKIP: Final = 5000
_SPACE_FIELDS: Final = """
  id name network symbol admins members moderators hibernated
  strategies { name network params }
  voting { delay period type privacy quorum quorumType hideAbstain blind }
  filters { minScore onlyMembers }
  validation { name params }
  voteValidation { name params }
"""
_PROPOSAL_FIELDS: Final = """
  id ipfs author created updated network symbol type title body discussion choices labels
  start end snapshot state privacy app link
  scores scores_by_strategy scores_total scores_state votes
  strategies { name network params }
  validation { name params }
  space { id name }
"""
_VOTE_FIELDS: Final = """
  id ipfs voter created choice reason app vp vp_by_strategy vp_state
  space { id } proposal { id }
"""

SPACE: Final = f"query Space($id: String!) {{ space(id: $id) {{ {_SPACE_FIELDS} }} }}"


def spaces_query(*, ids: bool) -> str:
    """Spaces, by id when ``ids`` (never an explicit ``id_in: null``)."""
    if ids:
        head, where = "$first: Int!, $skip: Int!, $ids: [String]", ", where: { id_in: $ids }"
    else:
        head, where = "$first: Int!, $skip: Int!", ""
    spaces = f"spaces(first: $first, skip: $skip{where}) {{ {_SPACE_FIELDS} }}"
    return f"query Spaces({head}) {{ {spaces} }}"


SPACES: Final = spaces_query(ids=True)
PROPOSAL: Final = f"query Proposal($id: String!) {{ proposal(id: $id) {{ {_PROPOSAL_FIELDS} }} }}"


def proposals_query(*, state: bool) -> str:
    """A space's proposals, newest first, filtered by state only when one is given."""
    head = "$first: Int!, $skip: Int!, $space: String!" + (", $state: String!" if state else "")
    where = "space: $space" + (", state: $state" if state else "")
    return (
        f"query Proposals({head}) {{\n  proposals(first: $first, skip: $skip, where: {{ {where} }},"
        f' orderBy: "created", orderDirection: desc) {{ {_PROPOSAL_FIELDS} }}\n}}'
    )


PROPOSALS: Final = proposals_query(state=True)
VOTES: Final = f"""
query Votes($first: Int!, $skip: Int!, $proposal: String!, $since: Int!) {{
  votes(first: $first, skip: $skip, where: {{ proposal: $proposal, created_gte: $since }},
        orderBy: "created", orderDirection: asc) {{ {_VOTE_FIELDS} }}
}}"""
VP: Final = """
query Vp($voter: String!, $space: String!, $proposal: String) {
  vp(voter: $voter, space: $space, proposal: $proposal) { vp vp_by_strategy vp_state }
}"""
_FOLLOW_FIELDS: Final = "id follower network created space { id }"


def follows_query(*, follower: bool, space: bool) -> str:
    """The follows query with only the filters given: the real hub turns an explicit null into
    ``= NULL``, which matches nothing, so an absent filter must not appear at all."""
    params, where = ["$first: Int!"], []
    for name, wanted in (("follower", follower), ("space", space)):
        if wanted:
            params.append(f"${name}: String!")
            where.append(f"{name}: ${name}")
    filters = f", where: {{ {', '.join(where)} }}" if where else ""
    return (
        f"query Follows({', '.join(params)}) {{\n"
        f"  follows(first: $first{filters}) {{ {_FOLLOW_FIELDS} }}\n}}"
    )


FOLLOWS: Final = follows_query(follower=True, space=True)
# Only what a recount needs: who voted when, their choice and their voting power.
VERIFY_VOTES: Final = """
query VerifyVotes($first: Int!, $skip: Int!, $proposal: String!, $since: Int!) {
  votes(first: $first, skip: $skip, where: { proposal: $proposal, created_gte: $since },
        orderBy: "created", orderDirection: asc) { voter created choice vp vp_by_strategy }
}"""

# Delegate statements of some delegates on one space (at most MAX_FIRST per page; ids ≤ 100).
STATEMENTS: Final = """
query Statements($first: Int!, $space: String!, $delegates: [String]) {
  statements(first: $first, where: { space: $space, delegate_in: $delegates }) {
    id delegate space about statement discourse status updated
  }
}"""
