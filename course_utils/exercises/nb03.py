"""Exercises for notebook 03."""
