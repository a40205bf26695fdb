"""Exercises for notebook 07."""
