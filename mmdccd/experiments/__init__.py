"""Experiments built on mmdccd's configs: the demo, its validation sweep,
multi-seed runs and their summaries, and the reproduction study.

The command lines under ``tools/`` are thin wrappers over these modules;
import the submodule you need (``from mmdccd.experiments import demo``).
"""
