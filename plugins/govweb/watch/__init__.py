"""Watch and warn (issue 11): availability probes, the probe log, early warnings and alerts."""
