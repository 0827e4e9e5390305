"""The sealing cipher (store/data_keys.py) is taken from ``cryptography``'s compiled binding without running
the ``ciphers`` package (13 modules, ~3 ms on the way to the first case list page): it must be the very class
the public ``cryptography.hazmat.primitives.ciphers.aead`` names, and values sealed through either open
through the other. Checked in a fresh process, where nothing else has imported the package."""

from __future__ import annotations

import json
import subprocess
import sys

from clerk_desk.store.data_keys import DataKeys, aes_gcm

FRESH = """
import json, sys
from clerk_desk.store.data_keys import DataKeys
keys = DataKeys(bytes(range(32)))
sealed = keys.seal("欧阳明珠".encode(), "persons.name")
opened = keys.open(sealed, "persons.name")
damaged = keys.open(sealed[:-1] + bytes([sealed[-1] ^ 1]), "persons.name")
other_column = keys.open(sealed, "persons.phone")
print(json.dumps({
    "opened": opened.decode(), "damaged": damaged, "other_column": other_column, "sealed": sealed.hex(),
    "ciphers_package": sorted(m for m in sys.modules if m.startswith("cryptography.hazmat.primitives.ciphers")),
}))
"""


def test_the_class_is_the_public_one() -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    assert aes_gcm() is AESGCM


def test_sealing_loads_no_cipher_package_and_seals_as_the_public_class_opens() -> None:
    done = subprocess.run([sys.executable, "-c", FRESH], capture_output=True, text=True, timeout=60, check=True)
    got = json.loads(done.stdout)
    assert got["ciphers_package"] == []  # the binding's class, not the package's 13 modules
    assert got["opened"] == "欧阳明珠"
    assert got["damaged"] is None and got["other_column"] is None  # the tag is still checked
    # what the fresh process sealed opens here through the public class, and the other way round
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    keys = DataKeys(bytes(range(32)))
    sealed = bytes.fromhex(got["sealed"])
    public = AESGCM(keys._seal_key)
    assert public.decrypt(sealed[1:13], sealed[13:], b"persons.name") == "欧阳明珠".encode()
    nonce = bytes(12)
    theirs = b"\x01" + nonce + public.encrypt(nonce, "上官雪梅".encode(), b"persons.name")
    assert keys.open(theirs, "persons.name") == "上官雪梅".encode()
