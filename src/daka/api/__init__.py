"""HTTP adapter: WeCom's wire over the service layer."""
