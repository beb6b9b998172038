"""HTTPS for the simulated web: one self-signed certificate for *.gov.test, and an SNI gate that
refuses the handshake for sites planted with the security.https defect (as a site with no HTTPS)."""

from __future__ import annotations

import datetime as dt
import ssl
import tempfile
from collections.abc import Callable
from pathlib import Path

CERT_NOT_BEFORE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # fixed: valid for every simulated year


def self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "*.gov.test")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(CERT_NOT_BEFORE)
            .not_valid_after(CERT_NOT_BEFORE + dt.timedelta(days=365 * 60))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("*.gov.test"), x509.DNSName("gov.test"),
                                                        x509.DNSName("*.www.gov.test")]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "sim.crt", folder / "sim.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def server_context(https_ok: Callable[[str], bool]) -> ssl.SSLContext:
    """A TLS context whose SNI callback aborts the handshake for hosts without HTTPS."""
    folder = Path(tempfile.mkdtemp(prefix="govweb-sim-tls-"))
    cert, key = self_signed(folder)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)

    def gate(sslobj, server_name, _ctx):
        if not server_name or not https_ok(server_name.lower()):
            return ssl.ALERT_DESCRIPTION_UNRECOGNIZED_NAME
        return None

    ctx.sni_callback = gate
    return ctx
