"""The simulated government web: many seeded sites on one loopback port, routed by Host."""
