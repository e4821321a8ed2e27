"""GraphQL query strings for the Snapshot hub, one constant each (fields govdesk reads)."""

from __future__ import annotations

from typing import Final

_SPACE_FIELDS: Final = """
  id name network symbol admins members
  strategies { name network params }
  voting { delay period type }
  filters { minScore onlyMembers }
"""
_PROPOSAL_FIELDS: Final = """
  id ipfs author created network symbol type title body discussion choices labels
  start end snapshot state privacy app link
  scores scores_by_strategy scores_total scores_state votes
  strategies { name network params }
  space { id name }
"""
_VOTE_FIELDS: Final = """
  id ipfs voter created choice reason app vp vp_by_strategy vp_state
  space { id } proposal { id }
"""

SPACE: Final = f"query Space($id: String!) {{ space(id: $id) {{ {_SPACE_FIELDS} }} }}"
SPACES: Final = f"""
query Spaces($first: Int!, $skip: Int!, $ids: [String]) {{
  spaces(first: $first, skip: $skip, where: {{ id_in: $ids }}) {{ {_SPACE_FIELDS} }}
}}"""
PROPOSAL: Final = f"query Proposal($id: String!) {{ proposal(id: $id) {{ {_PROPOSAL_FIELDS} }} }}"
PROPOSALS: Final = f"""
query Proposals($first: Int!, $skip: Int!, $space: String!, $state: String) {{
  proposals(first: $first, skip: $skip, where: {{ space: $space, state: $state }},
            orderBy: "created", orderDirection: desc) {{ {_PROPOSAL_FIELDS} }}
}}"""
VOTES: Final = f"""
query Votes($first: Int!, $skip: Int!, $proposal: String!, $since: Int!) {{
  votes(first: $first, skip: $skip, where: {{ proposal: $proposal, created_gte: $since }},
        orderBy: "created", orderDirection: asc) {{ {_VOTE_FIELDS} }}
}}"""
VP: Final = """
query Vp($voter: String!, $space: String!, $proposal: String) {
  vp(voter: $voter, space: $space, proposal: $proposal) { vp vp_by_strategy vp_state }
}"""
FOLLOWS: Final = """
query Follows($first: Int!, $follower: String, $space: String) {
  follows(first: $first, where: { follower: $follower, space: $space }) {
    id follower network created space { id }
  }
}"""
# Only what a recount needs: who voted when, their choice and their voting power.
VERIFY_VOTES: Final = """
query VerifyVotes($first: Int!, $skip: Int!, $proposal: String!, $since: Int!) {
  votes(first: $first, skip: $skip, where: { proposal: $proposal, created_gte: $since },
        orderBy: "created", orderDirection: asc) { voter created choice vp vp_by_strategy }
}"""
