"""Benchmarks against the simulated web's ground truth (accuracy, crawl coverage). Never used by `evaluate`."""
