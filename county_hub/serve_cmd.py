"""`county-hub serve`: the hub under uvicorn (docs/hub.md): TLS files checked before serving, the open-file limit
lifted, and uvicorn's own limits for many held connections (docs/sync-protocol.md)."""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from county_hub import slow_clients
from county_hub.devices import AdminError
from county_hub.settings import LIMITS_ENV, Settings


def _check_tls_files(certfile: str, keyfile: str) -> None:
    """Load the certificate and key once before serving: uvicorn's own error names neither file."""
    import ssl

    for option, path in (("--certfile", certfile), ("--keyfile", keyfile)):
        if not Path(path).is_file():
            raise AdminError(f"找不到 TLS 文件 {path}（{option}）：请给出 PEM 文件的完整路径")
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(certfile, keyfile)
    except (ssl.SSLError, OSError) as exc:
        raise AdminError(
            f"TLS 证书 {certfile} 与私钥 {keyfile} 无法使用（{exc}）：请确认两者都是 PEM 格式、私钥未加密，"
            "且私钥与证书配对"
        ) from None


def serve(args: argparse.Namespace, settings: Settings) -> int:
    """`county-hub serve`: the app under uvicorn, with TLS when both files are given (checked first)."""
    import uvicorn

    from county_hub.app import create_app

    if bool(args.certfile) != bool(args.keyfile):
        raise AdminError("启用 TLS 须同时给出 --certfile（证书）和 --keyfile（私钥）")
    if args.certfile:
        _check_tls_files(args.certfile, args.keyfile)
    if args.enrol_per_client is not None:
        settings = replace(
            settings,
            enrol_per_client_burst=args.enrol_per_client,
            enrol_per_client_per_minute=args.enrol_per_client,
        )
    if args.enrol_overall is not None:
        settings = replace(
            settings, enrol_overall_burst=args.enrol_overall, enrol_overall_per_minute=args.enrol_overall
        )
    if args.connections_per_address is not None:
        if args.connections_per_address < 0:
            raise AdminError("--connections-per-address 应为 0（不限）或正整数")
        # read by the protocol of every worker process (county_hub.slow_clients)
        os.environ[slow_clients.PER_ADDRESS_ENV] = str(args.connections_per_address)
        slow_clients.HeadDeadlineProtocol.per_address = args.connections_per_address
    trusted = _trusted_proxies(args.trusted_proxy or [])
    if trusted:  # read by every worker process too
        os.environ[slow_clients.TRUSTED_ENV] = ",".join(trusted)
        slow_clients.HeadDeadlineProtocol.trusted = frozenset(trusted)
    _more_open_files()
    app: Any = create_app(settings)
    if args.workers > 1:  # each worker process builds its own app from the environment
        os.environ["COUNTY_HUB_DB"] = settings.db_url
        os.environ[LIMITS_ENV] = settings.limits_env()
        app = "county_hub.app:app_from_env"
    uvicorn.run(
        app,
        factory=args.workers > 1,
        workers=args.workers,
        host=args.host,
        port=args.port,
        ssl_certfile=args.certfile,
        ssl_keyfile=args.keyfile,
        log_level=args.log_level,
        **server_limits(trusted),
    )
    return 0


def _trusted_proxies(given: list[str]) -> tuple[str, ...]:
    out = []
    for text in given:
        for part in text.split(","):
            try:
                out.append(slow_clients.address_of(part))
            except ValueError:
                raise AdminError(
                    f"--trusted-proxy {part.strip() or '（空）'} 不是 IP 地址：请给出反向代理连接本机时的地址，"
                    "如 10.1.2.3（多个可重复此选项）"
                ) from None
    return tuple(dict.fromkeys(out))


def _more_open_files() -> None:
    """Lift the soft limit of open files to the hard one (a service often starts with 1,024): the
    connection limit below, not the file limit, should be what many open connections meet first."""
    try:
        import resource
    except ImportError:  # Windows: no such limit per process
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 65536
    if soft != resource.RLIM_INFINITY and soft < wanted:
        with contextlib.suppress(ValueError, OSError):  # else keep what the service manager set
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, 65536), hard))


def server_limits(trusted: Sequence[str] = ()) -> dict[str, Any]:
    """uvicorn's own limits (the request body's deadline is the app's, county_hub.gzip_body): a request's
    head must arrive within 10 s (county_hub.slow_clients), an idle kept-alive connection is closed after
    75 s (a desk keeps one connection for its pushes and pulls, docs/sync-protocol.md "One lasting
    connection", and its timer round comes every 30 s: the connection, and its TLS session, stay up), at most
    1,000 connections are served at once per worker (more get 503 at once instead of queueing; a desk holds
    two: that one and its GET /changes), and a head may not exceed 64 KiB (h11). On stopping, requests
    still running get 10 s (held GET /changes are answered at once).

    X-Forwarded-For is believed only from the proxies IT named (``trusted``, ``--trusted-proxy``): uvicorn
    believed it from 127.0.0.1 (or ``FORWARDED_ALLOW_IPS``) unless told otherwise, and the per-client
    enrolment limit went by whatever address the header named."""
    return {
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": list(trusted) or None,
        "http": slow_clients.PROTOCOL,
        "timeout_keep_alive": 75,
        "timeout_graceful_shutdown": 10,
        "limit_concurrency": 1000,
        "h11_max_incomplete_event_size": 64 * 1024,
    }
