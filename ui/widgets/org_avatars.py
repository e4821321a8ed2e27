"""Organisation avatars in the organisation switcher: generated at once, the Snapshot space's
own avatar once the core has fetched and cached it (``Services.org_avatar``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QComboBox, QWidget

from ui.tasks import run_task
from ui.widgets.identicon import org_avatar

if TYPE_CHECKING:
    from app.orgs import Organisation
    from app.services import Services

AVATAR_PX = 20


def _set_icon(box: QComboBox, org: Organisation, path: Path | None) -> None:
    index = box.findData(org.slug)
    if index >= 0:
        ratio = box.devicePixelRatioF()
        box.setItemIcon(index, QIcon(org_avatar(org.slug, org.name, path, AVATAR_PX, ratio)))


def _icon_setter(box: QComboBox, org: Organisation) -> Callable[[Path | None], None]:
    """Sets ``org``'s icon in ``box`` once its avatar has been fetched."""

    def set_icon(path: Path | None) -> None:
        _set_icon(box, org, path)

    return set_icon


def decorate_org_box(box: QComboBox, services: Services, owner: QWidget) -> None:
    """Give every organisation in ``box`` its avatar: cached or generated now, fetched later."""
    box.setIconSize(QSize(AVATAR_PX, AVATAR_PX))
    cache = services.avatar_cache()
    for org in services.orgs.all():
        _set_icon(box, org, cache.cached(org.snapshot_space) if org.snapshot_space else None)
        if org.snapshot_space and org.snapshot_hub and not cache.is_fresh(org.snapshot_space):
            # Owned by the box: a fetch that ends after the box is gone is cancelled with it.
            run_task(services.org_avatar(org), owner=box, on_done=_icon_setter(box, org),
                     on_error=lambda _message: None)  # fmt: skip
