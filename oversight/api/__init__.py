"""Oversight's api, one module per area."""
