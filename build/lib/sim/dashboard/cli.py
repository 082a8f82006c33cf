"""`exodus-dashboard`: serve the dashboard with `solara run` on this machine, offline.

Solara's telemetry and its version check are switched off, and the assets it would fetch
from a CDN come from the `solara-assets` package (in the dashboard extra), so the page needs
no internet: everything it loads is served by the local Solara server.
"""

from __future__ import annotations

import argparse
import os
import sys

APP = "sim.dashboard.app"

OFFLINE_ENV = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",  # no usage reports to mixpanel
}


def server_command(host: str, port: int, production: bool = True) -> list[str]:
    """The `solara run` command line that serves the dashboard."""
    cmd = [sys.executable, "-m", "solara", "run", APP, "--host", host, "--port", str(port), "--no-open"]
    cmd.append("--no-check-version")  # solara would ask PyPI for its latest release
    return cmd + (["--production"] if production else [])


def server_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for the server: the caller's plus the offline settings."""
    return {**(os.environ if base is None else base), **OFFLINE_ENV}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="exodus-dashboard", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    parser.add_argument("--dev", action="store_true", help="development mode: reload on code changes")
    args = parser.parse_args(argv)
    try:
        import solara  # noqa: F401
    except ImportError:
        sys.exit("exodus-dashboard needs the dashboard extra: pip install -e '.[dashboard]'")
    cmd = server_command(args.host, args.port, production=not args.dev)
    os.execve(cmd[0], cmd, server_env())


if __name__ == "__main__":
    main()
