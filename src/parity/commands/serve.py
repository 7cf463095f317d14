"""`parity serve`: run the web dashboard for a workspace (docs/web.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from parity.commands.common import console


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        workspace: Path = typer.Option(..., "--workspace", "-w", help="Workspace directory (created if absent)"),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; put a TLS proxy in front "
                                                             "for anything but this machine"),
        port: int = typer.Option(8000, "--port", help="Port to listen on"),
        database_url: str = typer.Option(None, "--database-url", help="App database (default: SQLite in the workspace)"),
        max_upload_mb: float = typer.Option(200, "--max-upload-mb", help="Largest upload accepted (MB)"),
        base_url: str = typer.Option(None, "--base-url", help="The address users open (e.g. https://parity.example.nhs.uk), "
                                                             "for the set-up link; default http://HOST:PORT"),
        insecure_cookies: bool = typer.Option(False, "--insecure-cookies",
                                              help="Cookies without Secure, for plain http on 127.0.0.1 only"),
        forwarded_allow_ips: str = typer.Option(None, "--forwarded-allow-ips",
                                                help="IP[,IP] of the reverse proxy whose X-Forwarded-For and "
                                                     "X-Forwarded-Proto are trusted (default: trust none)"),
    ) -> None:
        """Serve the web dashboard: overview, indicators, uploads, reports, users."""
        import uvicorn

        from parity.web import Settings, create_app
        from parity.web.views.auth import first_run_link

        settings = Settings(database_url=database_url, max_upload_mb=max_upload_mb,
                            secure_cookies=not insecure_cookies)
        web = create_app(workspace, settings)
        link = first_run_link(web, base_url or f"http://{host}:{port}")
        if link:
            console.print("[bold]First run.[/bold] Open this one-time link to create the first administrator "
                          f"(valid {settings.invitation_hours} hours):\n  {link}")
        uvicorn.Server(server_config(web, host, port, forwarded_allow_ips)).run()


def server_config(web, host: str, port: int, forwarded_allow_ips: str | None):
    """Uvicorn's settings for `parity serve`: proxy headers only from the named proxy, tokens out of the log."""
    import uvicorn

    from parity.web.pulse_guard import drop_pulse_requests
    from parity.web.security import redact_access_log

    trusted = [ip.strip() for ip in (forwarded_allow_ips or "").split(",") if ip.strip()]
    # uvicorn trusts X-Forwarded-For from 127.0.0.1 unless told otherwise: anyone on this machine (or a
    # proxy passing the header through) could then choose the address the throttle and audit log see
    config = uvicorn.Config(web, host=host, port=port, log_level="info", proxy_headers=bool(trusted),
                            forwarded_allow_ips=trusted or [], server_header=False)
    redact_access_log()  # after Config: it (re)configures logging
    drop_pulse_requests()  # no line at all for a pulse respondent (issue 16)
    return config
