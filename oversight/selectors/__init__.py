"""Oversight's selectors, one module per area."""
