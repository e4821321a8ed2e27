"""Child process for the outbox crash tests: sign a vote, store it, and send it (or die first).

Usage: python outbox_child.py DB HUB_URL PROPOSAL MODE, with the dev key in $CHILD_KEY.
MODE "die-before-send" SIGKILLs itself right after the outbox write; MODE "send" delivers and
waits for the answer (the test kills it while the hub holds that answer).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from app.keys.signer_protocol import LocalKeySigner
from app.snapshot.envelope import sign_message
from app.snapshot.messages import VoteRequest, build_vote
from app.snapshot.outbox import Outbox, deliver
from app.snapshot.sequencer import SequencerClient
from app.store.database import connect


async def main(db: str, hub_url: str, proposal: str, mode: str) -> None:
    signer = LocalKeySigner(os.environ["CHILD_KEY"])
    request = VoteRequest("btrst.eth", proposal, "single-choice", 1, 2, reason="crash test")
    envelope = await sign_message(signer, build_vote(signer.address, request))
    outbox = Outbox(connect(db))
    if mode == "die-before-send":
        outbox.add(envelope, hub_url)
        sys.stdout.write(f"stored {envelope.id}\n")
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    sys.stdout.write(f"sending {envelope.id}\n")
    sys.stdout.flush()
    async with SequencerClient(hub_url) as client:
        await deliver(outbox, client, envelope)
    sys.stdout.write("acknowledged\n")


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
