"""The oversight app's pages, one module per area."""
