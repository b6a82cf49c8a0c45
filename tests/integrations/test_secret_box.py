"""Credentials sealed at rest open only with the key that sealed them, and a bad key is named as such."""

import subprocess
import sys
from pathlib import Path

import pytest

from integrations.secret_box import SecretBox, SecretKeyError

RASTRO = Path(sys.executable).parent / "rastro"


def test_a_sealed_secret_opens_with_its_key_and_hides_its_text() -> None:
    box = SecretBox(SecretBox.generate_key())
    sealed = box.seal({"access_token": "EAAB-secret-token"})
    assert b"EAAB-secret-token" not in sealed
    assert box.unseal(sealed) == {"access_token": "EAAB-secret-token"}


def test_another_key_cannot_open_it() -> None:
    sealed = SecretBox(SecretBox.generate_key()).seal({"token": "t"})
    with pytest.raises(SecretKeyError, match="sealed with another key"):
        SecretBox(SecretBox.generate_key()).unseal(sealed)


def test_a_malformed_key_is_refused_with_how_to_make_one() -> None:
    with pytest.raises(SecretKeyError, match="rastro secret-key"):
        SecretBox("not-a-key")


def test_cli_prints_a_key_the_box_accepts() -> None:
    printed = subprocess.run([RASTRO, "secret-key"], capture_output=True, text=True, check=True).stdout
    box = SecretBox(printed.strip())
    assert box.unseal(box.seal({"a": 1})) == {"a": 1}
