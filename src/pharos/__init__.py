"""Pharos: self-hosted, multi-channel customer support for a cryptocurrency exchange."""
