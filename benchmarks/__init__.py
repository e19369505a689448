"""Benchmarks of ichinv: a seeded generator of synthetic inventories and timing scripts."""
