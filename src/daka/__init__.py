"""daka: a self-hosted attendance service that speaks WeCom's check-in API."""

__version__ = "0.1.0"
