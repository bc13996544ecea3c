"""Oversight's views, one module per area."""
