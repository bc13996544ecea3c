"""The REST machinery every app\x27s API shares: permissions by capability, paging, errors, schema helpers."""
