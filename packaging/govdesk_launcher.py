"""PyInstaller entry point: the same launcher as the `govdesk` console script."""

from ui.launcher import main

raise SystemExit(main())
