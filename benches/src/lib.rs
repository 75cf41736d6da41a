//! Deterministic data for kidkit's benchmarks and scale tests.
