"""Exercises for notebook 06."""
