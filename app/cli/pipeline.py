"""`govdesk org ...` and `govdesk pipeline`: organisations and the board as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.errors import ConfigError


def register(subparsers: Any) -> None:
    _register_org(subparsers)
    _register_idea(subparsers)
    board = subparsers.add_parser(
        "pipeline",
        help="show the pipeline board of an organisation (text or JSON)",
        description="Every initiative of an organisation with its phase, status, deadline and "
        "your next action.",
    )
    board.add_argument("--org", default="braintrust", help="organisation short name")
    board.add_argument("--account", help="address whose next actions to show")
    _common(board)
    board.add_argument("--json", action="store_true", help="print one JSON object")
    board.set_defaults(handler=_pipeline)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, help="where the local store lives")
    parser.add_argument("--config-dir", type=Path, help="where organisations are configured")


def _register_org(subparsers: Any) -> None:
    org = subparsers.add_parser("org", help="list, add, show or remove organisations")
    actions = org.add_subparsers(title="actions", dest="org_action", metavar="ACTION")
    listing = actions.add_parser("list", help="every organisation (yours and the presets)")
    listing.add_argument("--json", action="store_true")
    _common(listing)
    listing.set_defaults(handler=_org_list)
    show = actions.add_parser("show", help="one organisation's settings as JSON")
    show.add_argument("slug")
    _common(show)
    show.set_defaults(handler=_org_show)
    add = actions.add_parser("add", help="add or replace one of your organisations")
    add.add_argument("slug", help="short name: lower-case letters, digits, dashes")
    add.add_argument("--name", required=True)
    add.add_argument("--chain-id", type=int, required=True)
    add.add_argument("--network-name", default="")
    add.add_argument("--rpc", action="append", default=[], help="RPC URL (repeat for fallbacks)")
    add.add_argument("--block-time", type=float, default=12.0, help="seconds per block")
    add.add_argument("--space", default="", help="Snapshot space id")
    add.add_argument("--hub", default="", help="Snapshot hub URL")
    for name in ("governor", "token", "timelock"):
        add.add_argument(f"--{name}", default="")
    add.add_argument("--forum", default="")
    add.add_argument("--temperature-quorum", type=float, default=0.0)
    _common(add)
    add.set_defaults(handler=_org_add)
    remove = actions.add_parser("remove", help="remove one of your organisations")
    remove.add_argument("slug")
    _common(remove)
    remove.set_defaults(handler=_org_remove)
    org.set_defaults(handler=lambda _args: (org.print_help(), 0)[1])


def _register_idea(subparsers: Any) -> None:
    idea = subparsers.add_parser("idea", help="draft ideas (phase 1) and link phases by hand")
    actions = idea.add_subparsers(title="actions", dest="idea_action", metavar="ACTION")
    add = actions.add_parser("add", help="draft a new idea")
    add.add_argument("--org", default="braintrust")
    add.add_argument("--title", required=True)
    add.add_argument("--body", default="", help="markdown text (or use --body-file)")
    add.add_argument("--body-file", type=Path)
    add.add_argument("--discussion", default="", help="forum thread URL")
    add.add_argument("--no-onchain", action="store_true", help="no contract executes this")
    _common(add)
    add.set_defaults(handler=_idea_add)
    listing = actions.add_parser("list", help="the drafted ideas of an organisation")
    listing.add_argument("--org", default="braintrust")
    _common(listing)
    listing.set_defaults(handler=_idea_list)
    link = actions.add_parser(
        "link", help="link a Snapshot check or on-chain proposal to an initiative by hand"
    )
    link.add_argument("item", help="temperature:ID, consensus:ID or onchain:ID")
    link.add_argument("initiative", help="the initiative (idea) id")
    link.add_argument("--org", default="braintrust")
    _common(link)
    link.set_defaults(handler=_idea_link)
    unlink = actions.add_parser("unlink", help="detach an item: it becomes its own initiative")
    unlink.add_argument("item")
    unlink.add_argument("--org", default="braintrust")
    unlink.add_argument("--forget", action="store_true", help="drop the manual choice instead")
    _common(unlink)
    unlink.set_defaults(handler=_idea_unlink)
    idea.set_defaults(handler=lambda _args: (idea.print_help(), 0)[1])


def _services(args: argparse.Namespace) -> Any:
    from app.services import Services

    return Services.open(data_dir=args.data_dir, config_dir=args.config_dir)


def _idea_add(args: argparse.Namespace) -> int:
    body = args.body
    if args.body_file:
        try:
            body = args.body_file.read_text("utf-8")
        except OSError as exc:
            raise ConfigError(f"Cannot read {args.body_file}: {exc.strerror}.") from exc
    import asyncio

    with _services(args) as services:
        org = services.orgs.get(args.org)
        draft = asyncio.run(
            services.actions.ideas.create(
                org, args.title, body, args.discussion, needs_onchain=not args.no_onchain
            )
        )
    print(draft.initiative_id)
    return 0


def _idea_list(args: argparse.Namespace) -> int:
    with _services(args) as services:
        for draft in services.drafts.list(args.org):
            print(f"{draft.initiative_id}  {draft.title}")
    return 0


def _item_key(text: str) -> Any:
    from app.pipeline.linking import ItemKey, ItemKind

    key = ItemKey.parse(text)
    if key is None or key.kind is ItemKind.IDEA:
        raise ConfigError(
            f"“{text}” is not an item: write temperature:ID, consensus:ID or onchain:ID."
        )
    return key


def _idea_link(args: argparse.Namespace) -> int:
    key = _item_key(args.item)
    with _services(args) as services:
        services.drafts.get(args.initiative)  # the initiative must exist
        services.drafts.set_manual_link(args.org, key, args.initiative)
    print(f"Linked {key} to {args.initiative}.")
    return 0


def _idea_unlink(args: argparse.Namespace) -> int:
    key = _item_key(args.item)
    with _services(args) as services:
        if args.forget:
            services.drafts.clear_manual_link(args.org, key)
        else:
            services.drafts.set_manual_link(args.org, key, None)
    print(f"{'Forgot the manual link of' if args.forget else 'Unlinked'} {key}.")
    return 0


def _book(args: argparse.Namespace) -> Any:
    from app.orgs import OrgBook

    return OrgBook(args.config_dir) if args.config_dir else OrgBook()


def _org_json(org: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(org)


def _org_list(args: argparse.Namespace) -> int:
    orgs = _book(args).all()
    if args.json:
        print(json.dumps([_org_json(o) for o in orgs], indent=2))
        return 0
    for org in orgs:
        kind = "preset" if org.preset else "yours"
        print(f"{org.slug:20} {org.name:32} chain {org.network.chain_id:<8} {kind}")
    return 0


def _org_show(args: argparse.Namespace) -> int:
    print(json.dumps(_org_json(_book(args).get(args.slug)), indent=2))
    return 0


def _org_add(args: argparse.Namespace) -> int:
    from app.orgs import Conventions, Network, Organisation

    if not args.rpc:
        raise ConfigError("Give at least one RPC URL with --rpc.")
    org = Organisation(
        slug=args.slug,
        name=args.name,
        network=Network(
            args.chain_id,
            args.network_name or f"chain {args.chain_id}",
            tuple(args.rpc),
            args.block_time,
        ),
        snapshot_space=args.space,
        snapshot_hub=args.hub,
        governor=args.governor,
        token=args.token,
        timelock=args.timelock,
        forum_url=args.forum,
        conventions=Conventions(temperature_quorum=args.temperature_quorum),
    )
    from app.orgs import url_warnings

    saved = _book(args).save(org)
    for warning in url_warnings(saved):
        print(f"govdesk: warning: {warning}", file=sys.stderr)
    print(f"Saved {saved.slug} ({saved.name}).")
    return 0


def _org_remove(args: argparse.Namespace) -> int:
    _book(args).remove(args.slug)
    print(f"Removed {args.slug}.")
    return 0


def _pipeline(args: argparse.Namespace) -> int:
    import asyncio
    import time

    from app.services import Services

    with Services.open(data_dir=args.data_dir, config_dir=args.config_dir) as services:
        org = services.orgs.get(args.org)
        # The account's delegation, power and votes are read, as on the desktop board.
        result = asyncio.run(services.board(org, args.account))
    cards = result.cards
    for problem in result.problems:
        print(f"govdesk: could not read everything: {problem}", file=sys.stderr)
    now = int(time.time())
    if args.json:
        payload = {"org": org.slug, "generated_at": now, "cards": [_card_json(c) for c in cards]}
        print(json.dumps(payload, indent=2))
        return 0
    print(f"{org.name}: {len(cards)} initiative{'' if len(cards) == 1 else 's'}")
    for phase in ("ideate", "offchain", "onchain", "execute"):
        column = [c for c in cards if c.phase.value == phase]
        print(f"\n== {phase} ({len(column)})")
        for card in column:
            due = (
                f"  due {time.strftime('%Y-%m-%d %H:%M', time.localtime(card.deadline))}"
                if card.deadline
                else ""
            )
            action = f"  -> {card.action.value}" if card.action.value != "none" else ""
            print(f"  [{card.status.value}] {card.title}{due}{action}")
    return 0


def _card_json(card: Any) -> dict[str, Any]:
    return {
        "initiative_id": card.initiative_id,
        "title": card.title,
        "phase": card.phase.value,
        "status": card.status.value,
        "deadline": card.deadline,
        "next_action": card.action.value,
        "needs_my_vote": card.needs_my_vote,
    }
