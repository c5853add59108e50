"""Sample app: a model gateway for two tenants, with a prompt of the catalog and the semantic cache."""
