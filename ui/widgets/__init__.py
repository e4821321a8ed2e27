"""Small reusable widgets that know records and signals, never services."""
