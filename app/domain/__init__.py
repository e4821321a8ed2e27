"""The shared vocabulary of govdesk: words every layer uses, with no I/O and no dependencies.

- :mod:`app.domain.voting` — Snapshot's voting types (:class:`VotingType`) and their families.
- :mod:`app.domain.support` — an on-chain ballot's support value (:class:`Support`).
- :mod:`app.domain.titles` — a proposal's title, read from its description.
- :mod:`app.domain.endpoints` — where Snapshot's hub and sequencer live (they are separate).
- :mod:`app.domain.retry` — how patiently a request is retried (:class:`RetryPolicy`).
"""
