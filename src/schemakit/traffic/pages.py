"""Which unmatched exchanges are a web page's own resources rather than API calls.

A HAR saved from a browser holds everything the page loaded: its HTML, scripts, style
sheets, images and fonts, often from a CDN. None of that is in an OpenAPI document, and
reporting each as ``unknown-path`` would bury the API findings and fail every run. Only an
exchange that matches no operation is asked about (a declared image endpoint is still
checked), and it is a page resource when the browser said so (Chrome, Edge and
Playwright write ``_resourceType``) or, without that, when its response is of a kind an
API document describing JSON would not serve from an undeclared path. Skipped exchanges
are counted in the run's summary, never dropped silently.
"""

from __future__ import annotations

from .exchange import Exchange, media_type

# Chromium's resource types for what a page loads for itself; xhr, fetch, eventsource,
# preflight, websocket and other are calls the page's code makes, and stay checked.
_PAGE_RESOURCE_TYPES = frozenset(
    {
        "document",
        "stylesheet",
        "script",
        "image",
        "font",
        "media",
        "manifest",
        "texttrack",
        "ping",
        "csp_violation_report",
        "signedexchange",
        "prefetch",
    }
)
_PAGE_MEDIA_PREFIXES = ("image/", "font/", "audio/", "video/")
_PAGE_MEDIA_TYPES = frozenset(
    {
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
        "application/manifest+json",
        "application/font-woff",
        "application/wasm",
    }
)


def page_resource(exchange: Exchange) -> str:
    """What kind of page resource the exchange is ("script", "text/css", ...), or ""."""
    kind = exchange.resource_type
    if kind:
        return kind if kind in _PAGE_RESOURCE_TYPES else ""
    media = media_type(exchange.response_headers) or ""
    if media in _PAGE_MEDIA_TYPES or media.startswith(_PAGE_MEDIA_PREFIXES):
        return media
    return ""
