"""Qt models over ``app`` records."""
