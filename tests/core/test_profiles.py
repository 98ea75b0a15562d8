"""Named profiles: connection files in the per-user data folder, found again by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.core import profiles
from wizard.core.connection_file import ConnectionFile, SecretEntry


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(profiles.DATA_DIR_ENV, str(tmp_path))
    return tmp_path


def connection(host: str = "https://acme.halopsa.com", client_id: str = "id-1") -> ConnectionFile:
    return ConnectionFile(
        host=host,
        client_id=client_id,
        scopes=("read:tickets",),
        secret=SecretEntry.keychain(host, client_id),
    )


@pytest.mark.parametrize("name", ["acme", "Acme production", "acme-2.test", "a_b"])
def test_ordinary_names_are_accepted(name: str) -> None:
    assert profiles.check_name(name) == name


@pytest.mark.parametrize(
    "name", ["", " ", "../escape", "a/b", "a\\b", ".hidden", "con", "NUL.txt", "end.", "x" * 65]
)
def test_names_that_cannot_be_a_file_name_everywhere_are_refused(name: str) -> None:
    with pytest.raises(profiles.ProfileError):
        profiles.check_name(name)


def test_a_saved_profile_opens_again_with_the_same_values(data_dir: Path) -> None:
    saved = connection()
    path = profiles.save("acme", saved)
    assert path.parent == data_dir / "profiles"
    assert profiles.load("acme") == saved
    assert profiles.names() == ["acme"]


def test_a_damaged_profile_is_listed_with_its_problem() -> None:
    profiles.save("good", connection())
    (profiles.profiles_folder() / "broken.json").write_text("{", encoding="utf-8")
    listed = {p.name: p for p in profiles.summaries()}
    assert listed["good"].problem is None
    assert listed["broken"].problem is not None and "not valid JSON" in listed["broken"].problem


def test_rename_refuses_to_replace_another_profile() -> None:
    profiles.save("one", connection())
    profiles.save("two", connection(client_id="id-2"))
    with pytest.raises(profiles.ProfileError, match="already"):
        profiles.rename("one", "two")
    assert profiles.load("two").client_id == "id-2"


def test_deleting_keeps_a_keychain_entry_another_profile_still_uses() -> None:
    forgotten: list[tuple[str, str]] = []

    def forget(host: str, client_id: str) -> bool:
        forgotten.append((host, client_id))
        return True

    profiles.save("prod", connection())
    profiles.duplicate("prod", "copy")
    assert profiles.delete("copy", forget_secret=forget) is False
    assert forgotten == []
    assert profiles.delete("prod", forget_secret=forget) is True
    assert forgotten == [("https://acme.halopsa.com", "id-1")]
    assert profiles.names() == []


def test_an_unknown_profile_names_the_ones_there_are() -> None:
    profiles.save("acme", connection())
    with pytest.raises(profiles.ProfileError, match='"acme"'):
        profiles.load("acne")


def test_a_damaged_profile_can_still_be_deleted() -> None:
    (profiles.profiles_folder()).mkdir(parents=True, exist_ok=True)
    (profiles.profiles_folder() / "broken.json").write_text("{", encoding="utf-8")
    assert profiles.delete("broken", forget_secret=lambda host, client_id: True) is False
    assert profiles.names() == []
