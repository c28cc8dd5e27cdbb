"""Analyses: plain functions from a graph (and options) to frozen results; no printing, no I/O."""
