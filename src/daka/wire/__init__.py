"""WeCom wire formats: the only place WeCom field names appear."""
