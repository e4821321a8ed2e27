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
def weights_fold(
    kinds: Any,
    map_offsets: Any,
    map_keys: Any,
    map_values: Any,
    powers: Any,
    n: int,
    columns: int,
    quadratic: bool,
    valid: Any,
    folded: Any,
    totals: Any,
    /,
) -> None: ...
def approval_fold(
    kinds: Any,
    list_offsets: Any,
    list_items: Any,
    powers: Any,
    n: int,
    columns: int,
    folded: Any,
    totals: Any,
    /,
) -> None: ...
