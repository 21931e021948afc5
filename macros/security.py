"""The site's security policy, written once and used three ways.

- `config.extra.csp`: the Content-Security-Policy <meta> in overrides/main.html.
- `site/_headers`: the same policy as HTTP headers (Netlify, Cloudflare Pages read this file;
  README shows the nginx and Apache equivalents), plus what a <meta> cannot say.
- scripts/serve.py sends the headers from `site/_headers`, so local runs and tests see them too.

script-src is 'self' plus 'wasm-unsafe-eval' (Pyodide compiles WebAssembly). There are no inline
scripts: overrides/partials/javascripts/ moves Material's two inline scripts into same-origin
files, so neither 'unsafe-inline' nor hashes are needed for scripts. style-src keeps
'unsafe-inline' because Material and Mermaid set inline styles; styles cannot send data anywhere.
"""

from __future__ import annotations

from pathlib import Path

CSP_DIRECTIVES: list[tuple[str, str]] = [
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("worker-src", "'self'"),
    ("connect-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("manifest-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'none'"),
]

# Only possible as HTTP headers (a <meta> cannot carry frame-ancestors).
HEADER_ONLY_DIRECTIVES: list[tuple[str, str]] = [("frame-ancestors", "'none'")]

EXTRA_HEADERS: list[tuple[str, str]] = [
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    # Another site that opened a tool tab cannot keep a handle on it (and later navigate it).
    ("Cross-Origin-Opener-Policy", "same-origin"),
    # No other site may embed the site's files (scripts, the Pyodide runtime, the search index).
    ("Cross-Origin-Resource-Policy", "same-origin"),
]


def policy(directives: list[tuple[str, str]]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives)


META_POLICY = policy(CSP_DIRECTIVES)
HEADER_POLICY = policy(CSP_DIRECTIVES + HEADER_ONLY_DIRECTIVES)


def headers() -> list[tuple[str, str]]:
    return [("Content-Security-Policy", HEADER_POLICY), *EXTRA_HEADERS]


def headers_file() -> str:
    """Netlify / Cloudflare Pages `_headers` format: a path pattern, then indented headers."""
    lines = ["/*"] + [f"  {name}: {value}" for name, value in headers()]
    return "\n".join(lines) + "\n"


def register(env) -> None:
    env.conf["extra"]["csp"] = META_POLICY


def on_post_build(env) -> None:
    Path(env.conf["site_dir"], "_headers").write_text(headers_file(), encoding="utf-8")
