"""Request body limits enforced while the body streams in, before any form is parsed (issue 11).

A limit on Content-Length alone is no limit: a chunked body declares no length, and Starlette would
spool it to temporary files before the CSRF check refused it. `BodyLimit` counts the bytes the app
pulls and answers 413 the moment a route's allowance is passed:

- the upload route, for a signed-in user: ``max_upload_mb`` plus the multipart framing;
- every other form (sign-in, invitations, settings) and anyone not signed in: ``max_form_kb``.

It sits inside the session middleware (so it knows who is signed in) and inside the security headers.
"""

from __future__ import annotations

import re

from starlette.requests import Request

from parity.web.uploads import TOO_LARGE, human_size

#: routes taking a file upload (everything else is a small form)
UPLOAD_ROUTES = re.compile(r"^/o/[^/]+/data/upload$")
#: pulse survey answers (anyone) and survey files or forms (signed in): ``pulse_form_kb``
PULSE_ROUTES = re.compile(r"^/pulse/[^/]+$|^/o/[^/]+/pulse/(new|upload)$")
#: multipart framing around an upload, allowed above the size limit
FORM_OVERHEAD = 64 * 1024
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
FORM_TOO_LARGE = "This request is larger than the {limit} this page accepts."


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Pure ASGI middleware: count request body bytes per route and refuse with 413 past the limit."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in UNSAFE:
            await self.app(scope, receive, send)
            return
        limit, message = self._limit(scope)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(scope, receive, send, message)  # refuse before reading anything
            return
        seen, over, started = 0, False, False

        async def counted_receive():
            nonlocal seen, over
            if over:
                return {"type": "http.disconnect"}
            incoming = await receive()
            if incoming["type"] == "http.request":
                seen += len(incoming.get("body", b""))
                if seen > limit:
                    over = True
                    raise _TooLarge()
            return incoming

        async def guarded_send(outgoing):
            nonlocal started
            if over:
                return  # the app's answer to a truncated body (a parse error) is replaced by 413
            started = True
            await send(outgoing)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not over:
                raise
        if over and not started:
            await self._refuse(scope, receive, send, message)

    @staticmethod
    def _limit(scope) -> tuple[int, str]:
        settings = scope["app"].state.settings
        signed_in = (scope.get("state") or {}).get("user") is not None
        if signed_in and UPLOAD_ROUTES.match(scope["path"]):
            return (settings.max_upload_bytes + FORM_OVERHEAD,
                    TOO_LARGE.format(limit=human_size(settings.max_upload_bytes)))
        if PULSE_ROUTES.match(scope["path"]):
            return settings.pulse_form_bytes, FORM_TOO_LARGE.format(limit=human_size(settings.pulse_form_bytes))
        return settings.max_form_bytes, FORM_TOO_LARGE.format(limit=human_size(settings.max_form_bytes))

    @staticmethod
    async def _refuse(scope, receive, send, message: str) -> None:
        from parity.web.pages import error_page

        response = error_page(Request(scope), 413, message)
        response.headers["Connection"] = "close"  # do not wait for the rest of the body
        await response(scope, receive, send)
