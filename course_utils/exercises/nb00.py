"""Exercises for notebook 00."""
