"""Timing feeds: parsers of pure functions (bytes in, records out), with no Qt."""
