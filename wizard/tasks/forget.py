"""Delete a profile, and the keychain entry only it uses.

What will happen is worked out first (`plan`), so the question asked before deleting says
exactly that; `forget` then does it. An entry is removed only when it was made for one saved
connection (secrets.is_own_account) and no other profile names it. An entry shared by every
connection of one Client ID and host (made before each save had its own) is kept: connection
files elsewhere on the computer may use it, and they cannot be found. A damaged profile can
be deleted too; the entry it named cannot be known, so none is removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from wizard.core import profiles
from wizard.core.secrets import KeychainError, is_own_account
from wizard.core.store import SecretStore
from wizard.tasks.save import entries_of, named_by_another_profile


class EntryFate(StrEnum):
    """What happens to a keychain entry the profile names."""

    REMOVED = "removed"  # made for this profile alone
    SHARED = "shared"  # an entry from before own entries: other connections may use it
    NAMED_ELSEWHERE = "named_elsewhere"  # another profile names it
    MISSING = "missing"  # already not in the keychain
    FAILED = "failed"  # the keychain refused (ForgetOutcome.detail says why)


@dataclass(frozen=True)
class ForgetPlan:
    name: str
    damaged: bool  # the profile cannot be read: the entry it names is unknown
    entries: tuple[tuple[str, EntryFate], ...]  # each entry and what will happen to it


@dataclass(frozen=True)
class ForgetOutcome:
    name: str
    damaged: bool
    entries: tuple[tuple[str, EntryFate], ...]
    detail: str | None = None


def plan(name: str) -> ForgetPlan:
    """What deleting the profile `name` will do; ProfileError when there is no such profile."""
    path = profiles.path_of(name)
    if not path.is_file():
        profiles.load(name)  # raises the plain "there is no profile" error
    try:
        connection = profiles.load(name)
    except profiles.ProfileError:
        return ForgetPlan(name, True, ())
    fates = []
    for account in entries_of(connection):
        if not is_own_account(account):
            fates.append((account, EntryFate.SHARED))
        elif named_by_another_profile(account, path):
            fates.append((account, EntryFate.NAMED_ELSEWHERE))
        else:
            fates.append((account, EntryFate.REMOVED))
    return ForgetPlan(name, False, tuple(fates))


def forget(name: str, store: SecretStore) -> ForgetOutcome:
    """Delete the profile and, by its plan, the keychain entries only it uses."""
    planned = plan(name)
    done = []
    detail = None
    for account, fate in planned.entries:
        if fate is EntryFate.REMOVED:
            try:
                fate = EntryFate.REMOVED if store.remove(account) else EntryFate.MISSING
            except KeychainError as exc:
                fate, detail = EntryFate.FAILED, str(exc)
        done.append((account, fate))
    path = profiles.path_of(name)
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise profiles.ProfileError(
            f'The profile "{name}" could not be deleted: {exc.strerror}.'
        ) from exc
    return ForgetOutcome(name, planned.damaged, tuple(done), detail)
