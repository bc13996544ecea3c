"""Oversight's models, one module per area; each is imported here so that Django finds it."""
