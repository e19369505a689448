"""Validation results in every output format: text lines, JSON, GitHub workflow commands,
SARIF, and the CI job summary within GitHub's limits.
"""
