"""The four-phase pipeline: one initiative followed from idea to execution (pure logic here)."""
