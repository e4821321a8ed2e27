"""Screens and dialogs: compose models and widgets, call services through ui.tasks."""
