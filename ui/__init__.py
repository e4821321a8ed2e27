"""govdesk's Qt front end (PySide6 + qasync). Depends on ``app``; ``app`` never imports it."""
