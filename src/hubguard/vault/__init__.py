"""Credentials at rest: envelope encryption and the token vault.

``SqlTokenVault.from_settings(settings)`` is the usual entry point; ``TokenVault`` is the
protocol other parts type against.
"""

from hubguard.vault.audit import AuditChainReport
from hubguard.vault.crypto import DataKey, MasterKey, MasterKeyring, ensure_local_key_file
from hubguard.vault.protocol import TokenVault
from hubguard.vault.store import SqlTokenVault

__all__ = [
    "AuditChainReport",
    "DataKey",
    "MasterKey",
    "MasterKeyring",
    "SqlTokenVault",
    "TokenVault",
    "ensure_local_key_file",
]
