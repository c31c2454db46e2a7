"""The stand-in's HTML: the login and consent page, and the error page.

Every value is escaped with ``html.escape``; nothing from a request reaches
the markup raw.
"""

from __future__ import annotations

from html import escape

_STYLE = """
body{font-family:system-ui,sans-serif;background:#f3f4f6;color:#111;margin:0}
main{max-width:24rem;margin:3rem auto;background:#fff;border-radius:10px;padding:1.5rem 1.75rem;
box-shadow:0 1px 3px #0002}
h1{font-size:1.3rem;margin-top:0}label{display:block;margin:.75rem 0 .25rem}
input{width:100%;box-sizing:border-box;padding:.5rem;font:inherit}
.buttons{display:flex;gap:.5rem;margin-top:1.25rem}
button{flex:1;padding:.6rem;font:inherit;border-radius:6px;border:1px solid #bbb;cursor:pointer}
button[value=allow]{background:#0b5fff;color:#fff;border-color:#0b5fff}
.error{color:#a40e26}.muted{color:#555;font-size:.9rem}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang=en><head><meta charset=utf-8><link rel=icon href="data:,">'
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def login_page(app_name: str, query: str, csrf: str, message: str | None = None) -> str:
    """The sign-in form: it posts the original authorization request back with a CSRF token."""
    notice = f'<p class="error" role="alert">{escape(message)}</p>' if message else ""
    return _page(
        "Sign in to Veritone",
        f"<h1>Sign in to Veritone</h1>"
        f"<p><strong>{escape(app_name)}</strong> wants to access your Veritone account.</p>"
        f"{notice}"
        f'<form method="post" action="?{escape(query, quote=True)}">'
        f'<input type="hidden" name="csrf_token" value="{escape(csrf, quote=True)}">'
        '<label for="username">Email</label>'
        '<input id="username" name="username" type="email" autocomplete="username">'
        '<label for="password">Password</label>'
        '<input id="password" name="password" type="password" autocomplete="current-password">'
        '<div class="buttons">'
        '<button name="decision" value="deny" type="submit">Deny</button>'
        '<button name="decision" value="allow" type="submit">Sign in and allow</button>'
        "</div></form>"
        '<p class="muted">Local Veritone stand-in. Demo user: demo@example.com / demo</p>',
    )


def error_page(title: str, description: str) -> str:
    """The page for a request that must not be redirected (RFC 6749 §4.2.2.1)."""
    return _page(
        title,
        f"<h1>{escape(title)}</h1><p>{escape(description)}</p>"
        '<p class="muted">The app that sent you here is misconfigured; you were not redirected.</p>',
    )
