"""The service layer: use cases that own transactions and call the pure domain."""

from daka.services.service import Caller, Service

__all__ = ["Caller", "Service"]
