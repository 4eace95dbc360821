"""Self-signed certificates for loopback TLS tests, made with Debian's openssl (required in CI)."""
import hashlib
import os
import shutil
import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Certificate:
    """A certificate (PEM, also its own CA), its key, and its SHA-256 fingerprint as hex."""

    cert: Path
    key: Path
    sha256: str


def require(program, package):
    """The path of *program*; skip without it, except in CI (CI=true), where a missing server is a failure."""
    found = shutil.which(program) or next((str(p) for p in (Path("/usr/sbin") / program,) if p.exists()), None)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{program} is missing: scripts/test installs Debian's {package}")
        pytest.skip(f"{program} is not installed (Debian {package}; scripts/test installs it)")
    return found


def make_certificate(directory, name="hub"):
    """A self-signed certificate for localhost and 127.0.0.1 in *directory*."""
    openssl = require("openssl", "openssl")
    cert, key = Path(directory) / f"{name}.pem", Path(directory) / f"{name}.key"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", f"/CN={name}.hall.test",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=30)
    der = ssl.PEM_cert_to_DER_cert(cert.read_text(encoding="ascii"))
    return Certificate(cert, key, hashlib.sha256(der).hexdigest())
