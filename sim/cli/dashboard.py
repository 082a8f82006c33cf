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
# Solara sets its session cookie SameSite=None (for pages embedded in iframes) on https or on the host name
# `localhost`, and otherwise falls back to SameSite=Lax with a 13-line UserWarning per page load. Served on
# `localhost` (the default here, as in `solara run`) it has nothing to say; on another name over plain http the
# fallback is right for a dashboard opened in its own tab, so the warning is filtered, by its message only.
COOKIE_WARNING = "ignore:Cookies with samesite=none require https:UserWarning"
DEFAULT_HOST = "localhost"


def server_command(host: str, port: int, production: bool = True) -> list[str]:
    """The `solara run` command line that serves the dashboard."""
    cmd = [sys.executable, "-m", "solara", "run", APP, "--host", host, "--port", str(port), "--no-open"]
    cmd.append("--no-check-version")  # solara would ask PyPI for its latest release
    return cmd + (["--production"] if production else [])


def server_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for the server: the caller's plus the offline settings and the cookie-warning filter."""
    env = {**(os.environ if base is None else base), **OFFLINE_ENV}
    env["PYTHONWARNINGS"] = ",".join(w for w in (env.get("PYTHONWARNINGS", ""), COOKIE_WARNING) if w)
    return env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="exodus-dashboard", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    parser.add_argument("--dev", action="store_true", help="development mode: reload on code changes")
    parser.add_argument(
        "--observed",
        metavar="DIR",
        default="",
        help="a folder of observed-data CSVs to show (departures.csv; optional founders.csv, headcount.csv, "
        "counts.csv); default: the shipped record",
    )
    args = parser.parse_args(argv)
    try:
        import solara  # noqa: F401
    except ImportError:
        sys.exit("exodus-dashboard needs the dashboard extra: pip install -e '.[dashboard]'")
    env = server_env()
    if args.observed:
        from sim.data.observed import DataError
        from sim.data.record import load

        try:  # checked here, so a bad folder stops with one line before the server starts
            load(args.observed)
        except DataError as exc:
            sys.exit(f"exodus-dashboard: error: {exc}")
        env["EXODUS_OBSERVED"] = os.path.abspath(args.observed)
    cmd = server_command(args.host, args.port, production=not args.dev)
    os.execve(cmd[0], cmd, env)


if __name__ == "__main__":
    main()
