"""Oversight's services, one module per area."""
