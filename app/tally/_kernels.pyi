from typing import Any

def copeland_fold(
    kinds: Any,
    list_offsets: Any,
    list_items: Any,
    powers: Any,
    n: int,
    columns: int,
    legacy: bool,
    valid: Any,
    pw: Any,
    support: Any,
    totals: Any,
    groups: Any,
    /,
) -> None: ...
