"""Pure attendance domain: values and functions, no I/O (see README.md)."""
