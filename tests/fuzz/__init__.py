"""Property-based fuzzing: the REST API through its OpenAPI schema, the public forms and the importers."""
