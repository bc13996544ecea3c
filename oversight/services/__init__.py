"""The oversight app's writes, one module per area."""
