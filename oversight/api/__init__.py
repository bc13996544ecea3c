"""The oversight app's REST collections, one module per area."""
