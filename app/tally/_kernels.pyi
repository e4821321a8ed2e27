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
def fold_rows(
    targets: Any, owners: Any, powers: Any, columns: int, bins: int, out: Any, /
) -> None: ...
