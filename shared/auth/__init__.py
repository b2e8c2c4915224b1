"""Bearer tokens: JWTs with scopes, checked by every service without a shared table."""
