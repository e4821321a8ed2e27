"""What each refusal of the Snapshot sequencer means, in plain words, and which are transient.

The strings are the real sequencer's ``error_description`` values (snapshot-sequencer
``ingestor.ts``, ``writer/*.ts``, ``helpers/*.ts``; see docs/reference ``snapshot.md`` §2.8).
A *transient* refusal means a service behind the sequencer failed (score-api, IPFS pinning, an
RPC node): the very same signed envelope may be accepted later, so it stays in the outbox and is
sent again with backoff while its timestamp is inside the sequencer's window.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

_SIGN_AGAIN: Final = "Nothing was recorded; fix it and sign again."

EXPLANATIONS: Final[dict[str, str]] = {
    # --- ingestor (every message) ---
    "unauthorized": "Snapshot has blocked requests from this network address. Try another "
    "connection, or contact Snapshot support.",
    "wrong envelope format": "Snapshot refused the message format (addresses must be in "
    "checksum form). This is a govdesk bug; please report it.",
    "too large message": "The message is larger than Snapshot accepts (100,000 characters). "
    "Shorten the text and sign again.",
    "wrong timestamp": "Snapshot refused the message because its time is off: this computer's "
    "clock is probably wrong. Turn on automatic date and time, then sign again.",
    "proposal cannot contain whitespace": "The proposal id contains a space. Copy the id again "
    "without spaces.",
    "wrong domain": "Snapshot refused the message: it was signed for another domain. Update "
    "govdesk.",
    "wrong types": "Snapshot does not accept this message shape. Update govdesk.",
    "Invalid space id": "The space id is not valid (it must be lower case, like ens.eth). "
    "Check the organisation's Snapshot space.",
    "unknown space": "That Snapshot space does not exist on this hub. Check the space id and "
    "the hub in the organisation's settings.",
    "wrong alias": "This session key is not (or no longer) linked to the account. Link it "
    "again, or sign with the account itself.",
    "signature validation failed": "Snapshot could not verify the signature. Sign again with "
    "the account you are sending from.",
    "duplicate message": "Snapshot already has this exact message; nothing more to do.",
    "too large metadata": "The vote's metadata is longer than 2,000 characters. " + _SIGN_AGAIN,
    "invalid choice": "Snapshot refused the choice: it is not valid for this proposal's voting "
    "type. Choose again.",
    "unknown proposal": "That proposal does not exist in this space (it may have been "
    "cancelled). Reload the proposal.",
    "pinning failed": "Snapshot could not store the message on IPFS just now. govdesk keeps it "
    "and sends it again shortly.",
    # --- vote ---
    "wrong vote format": "Snapshot refused the vote format (a reason up to 5,000 characters, an "
    "app name up to 24). " + _SIGN_AGAIN,
    "not in voting window": "This proposal is not open for voting now: it has not started or "
    "it has ended.",
    "reason not allowed with shutter": "This proposal's votes are encrypted (Shutter), which "
    "allows no reason. Remove the reason and vote again.",
    "failed vote validation": "This account does not pass the space's vote validation (for "
    "example too little voting power at the proposal's snapshot), so it cannot vote here.",
    "failed to check vote validation": "Snapshot could not check the space's vote validation "
    "just now. govdesk keeps the vote and sends it again shortly.",
    "no voting power": "This account had no voting power at the proposal's snapshot block. "
    "Voting power must be held (or delegated) before the proposal's snapshot.",
    "failed to check voting power": "Snapshot could not read voting power just now. govdesk "
    "keeps the vote and sends it again shortly.",
    "already voted at later time": "A newer vote from this account is already recorded; this "
    "older one was not counted. Vote again if you want to change it.",
    "already voted same time with lower index": "Another vote from this account was signed in "
    "the same second. Wait a second and vote again.",
    "too much activity, please contact an admin": "This space has had too much activity. "
    "Contact the space's admins.",
    # --- proposal ---
    "space hibernated": "This space is hibernated: it takes no new proposals until an admin "
    "reactivates it.",
    "space is using a non-premium network": "This space uses a network its plan does not "
    "cover, so it takes no proposals. Contact the space's admins.",
    "wrong proposal format": "Snapshot refused the proposal format: check the title (1-256 "
    "characters), choices, labels and discussion link. " + _SIGN_AGAIN,
    "invalid proposal content": "Snapshot's content screening flagged this proposal (a link "
    "or text looks malicious). Remove suspicious links and sign again.",
    "invalid proposal, please contact support": "Snapshot has flagged this account. Contact "
    "Snapshot support.",
    "proposal end date must be in the future": "The proposal would end in the past. Choose a "
    "later end and sign again.",
    "wrong choices for basic type voting": "A basic proposal has exactly 2 or 3 choices (For, "
    "Against, Abstain). " + _SIGN_AGAIN,
    "invalid start date": "The start date is not allowed by this space. " + _SIGN_AGAIN,
    "invalid voting delay": "This space sets a voting delay: the vote must start exactly that "
    "long after signing. govdesk sets it for you; sign again.",
    "invalid voting period": "This space sets a fixed voting period: the vote must last exactly "
    "that long. govdesk sets it for you; sign again.",
    "invalid voting type": "This space allows only one voting type, and this proposal uses "
    "another. Use the space's type and sign again.",
    "not allowed to set privacy": "This space fixes the vote privacy (e.g. Shutter) and this "
    "proposal asks for another. Use the space's privacy and sign again.",
    "only space authors can propose": "Only this space's members, moderators and admins may "
    "create proposals here. Ask an admin to add this account as a member.",
    "validation failed": "This account does not pass the space's proposal validation (for "
    "example it holds less than the minimum score to propose).",
    "failed to check validation": "Snapshot could not check the space's proposal validation "
    "just now. govdesk keeps the proposal and sends it again shortly.",
    "proposal snapshot must be after network start": "The snapshot block is before the "
    "network's start. Use a recent block.",
    "proposal snapshot must be in past": "The snapshot block is not mined yet. Use a block in "
    "the past.",
    "invalid snapshot block": "The snapshot block does not exist on the space's network. Use a "
    "recent block of that network.",
    "unable to fetch block": "Snapshot could not read the block from its network node just "
    "now. govdesk keeps the proposal and sends it again shortly.",
    "unable to fetch current block number": "Snapshot could not read the current block just "
    "now. govdesk keeps the proposal and sends it again shortly.",
    "unable to get quorum": "Snapshot could not compute the space's quorum just now. govdesk "
    "keeps the proposal and sends it again shortly.",
    "proposal limit reached": "This space has reached its proposal limit for today or this "
    "month. Try again later.",
    "active proposal limit reached for author": "This account already has as many active "
    "proposals as Snapshot allows. Wait until one ends (or cancel one).",
    "failed to check proposals limit": "Snapshot could not check the space's proposal limits "
    "just now. govdesk keeps the proposal and sends it again shortly.",
    # --- update / cancel ---
    "Not the author": "Only the proposal's author may edit it.",
    "proposal already started": "Voting has started, so the proposal can no longer be edited. "
    "Cancel it and create a new one instead.",
    "space voting type mismatch": "This space allows only one voting type, and the edit uses "
    "another.",
    "not authorized to archive proposal": "Only the proposal's author, or the space's admins "
    "and moderators, may cancel it.",
    # --- follow / alias / statement ---
    "you are already following this space": "This account already follows that space.",
    "you can only unfollow a space you follow": "This account does not follow that space.",
    "alias cannot be the same as the address": "An alias must be another address than the "
    "account it signs for.",
    "alias is already linked to another address": "That session key already signs for another "
    "account. Create a new session key.",
    "wrong alias format": "Snapshot refused the alias (it must be a checksummed address).",
    "wrong statement format": "Snapshot refused the delegate statement (about up to 140 "
    "characters, statement up to 10,000).",
    # --- HTTP level ---
    "request already being processed": "Snapshot is still processing the same message; govdesk "
    "waits and checks again.",
    "update in progress, try later": "Snapshot is being updated. govdesk keeps the message and "
    "sends it again shortly.",
}

# Refusals whose text carries a value: (pattern, explanation with {0}, {1}... from the groups).
_PATTERNS: Final = (
    (re.compile(r"^invalid space settings: (.+)$"), "The space's own settings are invalid "
     "({0}), so it takes no proposals. Contact the space's admins."),
    (re.compile(r"^alias not allowed for the type: (.+)$"), "A session key may not sign a "
     "{0} message. Sign it with the account itself."),
    (re.compile(r"^proposal body length can not exceed (\d+) characters$"), "This space allows "
     "at most {0} characters of text. Shorten it and sign again."),
    (re.compile(r"^number of choices can not exceed (\d+)$"), "This space allows at most {0} "
     "choices. Remove some and sign again."),
    (re.compile(r'^wrong choices for "(.+)" type voting$'), "The choices do not fit the {0} "
     "voting type. " + _SIGN_AGAIN),
    (re.compile(r"^network (.+) is not allowed$"), "Snapshot does not accept the network {0} "
     "here. Use s (the default) or one of its networks."),
    (re.compile(r"^you can join max (\d+) spaces?$"), "An account may follow at most {0} "
     "spaces. Unfollow one first."),
    (re.compile(r"^too many requests"), "Snapshot is rate limiting this computer. govdesk waits "
     "and sends again; an API key in the settings raises the limit."),
)  # fmt: skip

TRANSIENT: Final = frozenset(
    {
        "pinning failed",
        "failed to check vote validation",
        "failed to check voting power",
        "failed to check validation",
        "unable to fetch block",
        "unable to fetch current block number",
        "unable to get quorum",
        "failed to check proposals limit",
        "request already being processed",
        "update in progress, try later",
    }
)


@dataclass(frozen=True)
class Refusal:
    reason: str  # the sequencer's own words
    explanation: str  # what it means and what to do
    transient: bool  # the same envelope may succeed later


def explain(reason: str) -> Refusal:
    """The plain explanation of one refusal (an unknown one is quoted, and treated as final)."""
    text = reason.strip()
    transient = text in TRANSIENT or text.startswith("too many requests")
    if text in EXPLANATIONS:
        return Refusal(text, EXPLANATIONS[text], transient)
    for pattern, template in _PATTERNS:
        match = pattern.match(text)
        if match:
            return Refusal(text, template.format(*match.groups()), transient)
    return Refusal(text, f"Snapshot refused the message: {text}.", transient)
