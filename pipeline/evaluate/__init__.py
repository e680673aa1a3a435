"""Scoring commands that measure the pipeline against suites written by others.

``python -m pipeline.evaluate NAME [ARGS...]`` runs ``pipeline.evaluate.NAME.main(ARGS)``.
"""
