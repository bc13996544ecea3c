"""The oversight app's reads, one module per area."""
