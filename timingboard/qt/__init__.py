"""Qt adapters: the engine's changes as signals, item models and chart series."""
