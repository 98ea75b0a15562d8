"""Halo connection wizard: set up and diagnose a Halo API connection."""

__version__ = "0.1.0"
