"""Workspace failures the user can act on. Each message says what happened and what to do.

They derive from ``ValueError`` so the commands' friendly error handling shows the message and
exits 2 (never "Unexpected error ... please report it").
"""

from __future__ import annotations


class WorkspaceError(ValueError):
    """A workspace problem with a message that says how to fix it."""


class KeyMissing(WorkspaceError):
    """The workspace holds pseudonymised data but its key is not where it was looked for."""


class WrongKey(WorkspaceError):
    """A key was found but its fingerprint is not the one recorded in the workspace."""


class WorkspaceBusy(WorkspaceError):
    """Another process kept the workspace for longer than the wait allowed."""


class WorkspaceCorrupt(WorkspaceError):
    """The workspace database or its description file cannot be read."""


class WorkspaceTooNew(WorkspaceError):
    """The workspace was written by a newer Parity with a format this one does not know."""


class DiskFull(WorkspaceError):
    """The disk filled up while writing; the message says whether anything changed."""
