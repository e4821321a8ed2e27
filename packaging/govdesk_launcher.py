"""PyInstaller entry point: the same launcher as the `govdesk` console script."""

from ui.entry import main

raise SystemExit(main())
