"""`python -m app` runs the govdesk command line."""

from app.cli import main

raise SystemExit(main())
