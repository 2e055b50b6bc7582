"""Standalone peer model modules run inside a PeerVenv by ``benchmarks/_venv_worker.py``."""
