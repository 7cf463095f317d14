"""The published standards, each a package: `wres` (race), later `wdes` (disability)."""
