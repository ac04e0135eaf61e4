"""Reading real models: weights from files, and their twin and functional classes."""
