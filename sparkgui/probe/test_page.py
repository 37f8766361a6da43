"""The test link page (`GET /test`): the platform's browser test, for a phone on the guest Wi-Fi or any browser.

"Start the test", then "Waiting" with a countdown while a WebSocket to this probe is held with the platform's
heartbeat, then "Success", or "Failed" with the reason in plain words. With a session code (`/test?s=CODE`) the
result is posted to the organiser's session. One self-contained page: no external assets, its script and style
inline and pinned by hash in a strict Content-Security-Policy.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass

from aiohttp import web

from sparkgui.probe.page_texts import TEXTS, page_language


@dataclass(frozen=True)
class TestPageSettings:
    """How long the page holds its WebSocket, and how often it proves the connection still answers."""

    hold_seconds: float = 60.0  # what the platform's requirements page asks a visitor to wait
    heartbeat_seconds: float = 25.0  # the platform's own heartbeat
    open_seconds: float = 15.0  # a WebSocket not open by then is refused somewhere on the way
    answer_seconds: float = 10.0  # a heartbeat unanswered this long: the connection went silent


_STYLE = """
*{box-sizing:border-box}
body{margin:0;font:1.0625rem/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;
background:#f4f5f8}
main{max-width:34rem;margin:0 auto;padding:1.5rem 1.25rem 3rem}
h1{font-size:1.45rem;margin:.5rem 0 1rem}
p{margin:.6rem 0}
.card{background:#fff;border-radius:14px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.12);margin-top:1.25rem;
border-left:8px solid transparent}
#countdown:empty,#detail:empty,#sent:empty{display:none}
#status{font-size:1.9rem;font-weight:700;margin:0}
#countdown{font-size:1.1rem;color:#4a5264;min-height:1.5em}
button{font:inherit;font-weight:600;width:100%;padding:.95rem 1rem;margin-top:1.25rem;border:0;border-radius:12px;
background:#2450d8;color:#fff;cursor:pointer}
button:disabled{background:#9aa6c6;cursor:default}
.note{font-size:.93rem;color:#4a5264}
[data-state=waiting] #status{color:#8a5a00}
[data-state=success] #status{color:#17773a}
[data-state=failed] #status{color:#b3261e}
[data-state=success] .card{border-left-color:#17773a}
[data-state=failed] .card{border-left-color:#b3261e}
[data-state=waiting] .card{border-left-color:#d99a00}
"""

_SCRIPT = """
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("config").textContent);
  var t = cfg.texts;
  var $ = function (id) { return document.getElementById(id); };
  var code = new URLSearchParams(location.search).get("s") || "";
  var button = $("start");
  var secs = function (n) { return String(Math.round(n)); };
  if (code) { $("shared").hidden = false; }
  button.hidden = false;
  $("noscript").hidden = true;

  function show(state, title, detail) {
    document.body.setAttribute("data-state", state);
    $("status").textContent = title;
    $("detail").textContent = detail || "";
  }

  function send(outcome, reason, held) {
    if (!code) { return; }
    fetch("/sessions/" + encodeURIComponent(code) + "/results", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ outcome: outcome, reason: reason, held_seconds: held, language: cfg.language }),
      cache: "no-store"
    }).then(function (r) { $("sent").textContent = r.ok ? t.sent : t.not_sent; },
            function () { $("sent").textContent = t.not_sent; });
  }

  function finish(outcome, reason, held) {
    countdown("");
    if (outcome === "success") {
      show("success", t.success, t.success_detail.replace("{n}", secs(held)));
    } else {
      show("failed", t.failed, (t[reason] || t.other).replace("{n}", secs(held)));
    }
    send(outcome, reason, Math.round(held * 10) / 10);
    button.disabled = false;
    button.textContent = t.again;
    if (lock) { lock.release().catch(function () {}); lock = null; }
  }

  var lock = null;
  var shown = "";
  function countdown(text) {
    if (text !== shown) { shown = text; $("countdown").textContent = text; }
  }

  function hold() {
    var scheme = location.protocol === "https:" ? "wss:" : "ws:";
    var ws, opened = 0, done = false, asked = 0, ticker = 0, beat = 0;
    var now = function () { return performance.now(); };
    var held = function () { return opened ? (now() - opened) / 1000 : 0; };
    var end = function (outcome, reason) {
      if (done) { return; }
      done = true;
      clearInterval(ticker); clearInterval(beat); clearTimeout(openTimer);
      document.removeEventListener("visibilitychange", away);
      document.removeEventListener("freeze", away);
      var seconds = held();
      try { ws.close(1000); } catch (e) { /* already closed */ }
      finish(outcome, reason, seconds);
    };
    // A locked screen or another app freezes the page: that is no network cut, so it is said as such.
    var away = function (event) { if (event.type === "freeze" || document.hidden) { end("failed", "interrupted"); } };
    document.addEventListener("visibilitychange", away);
    document.addEventListener("freeze", away);
    var openTimer = setTimeout(function () { end("failed", "blocked"); }, cfg.open * 1000);
    try { ws = new WebSocket(scheme + "//" + location.host + "/ws"); } catch (e) { end("failed", "blocked"); return; }
    var ask = function () { if (!asked) { asked = now(); } ws.send("heartbeat"); };
    ws.onopen = function () {
      clearTimeout(openTimer);
      opened = now();
      beat = setInterval(ask, cfg.heartbeat * 1000);
      ticker = setInterval(function () {
        if (asked && now() - asked > cfg.answer * 1000) { end("failed", "silent"); return; }
        var left = Math.max(0, Math.ceil(cfg.hold - held()));
        countdown(t.left.replace("{n}", String(left)));
        if (held() >= cfg.hold) {
          clearInterval(beat);
          if (!asked) { ask(); }
          ticker && clearInterval(ticker);
          ticker = setInterval(function () {
            if (!asked) { end("success", ""); } else if (now() - asked > cfg.answer * 1000) { end("failed", "silent"); }
          }, 100);
        }
      }, 250);
    };
    ws.onmessage = function () { asked = 0; };
    ws.onclose = function () { end("failed", opened ? "cut" : "blocked"); };
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    button.textContent = t.testing;
    $("sent").textContent = "";
    if (navigator.onLine === false) { finish("failed", "offline", 0); return; }
    if (navigator.wakeLock) {  // keep the screen on for the minute, where the browser allows it (HTTPS)
      navigator.wakeLock.request("screen").then(function (l) { lock = l; }, function () { lock = null; });
    }
    show("waiting", t.waiting, "");
    countdown(t.left.replace("{n}", secs(cfg.hold)));
    fetch("/healthz", { cache: "no-store" }).then(function (r) {
      if (r.status === 204 || r.ok) { hold(); } else { finish("failed", "unreachable", 0); }
    }, function () { finish("failed", "unreachable", 0); });
  });
})();
"""


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        f"script-src {_digest(_SCRIPT)}",
        f"style-src {_digest(_STYLE)}",
        "connect-src 'self'",
        "img-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-store",
    "Vary": "Accept-Language",
    "Referrer-Policy": "no-referrer",  # the session code is in the URL: it never leaves in a Referer
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def render_page(language: str, settings: TestPageSettings) -> str:
    """The page in `language` ('en' or 'fr'), with the hold and heartbeat it will use."""
    texts = TEXTS[language]
    config = {
        "language": language,
        "texts": texts,
        "hold": settings.hold_seconds,
        "heartbeat": settings.heartbeat_seconds,
        "open": settings.open_seconds,
        "answer": settings.answer_seconds,
    }
    data = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
    seconds = str(round(settings.hold_seconds))
    return (
        f'<!doctype html>\n<html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta name="referrer" content="no-referrer"><title>{_escape(texts["title"])}</title>'
        f"<style>{_STYLE}</style></head>\n"
        '<body data-state="idle"><main>'
        f"<h1>{_escape(texts['title'])}</h1>"
        f"<p>{_escape(texts['intro'].replace('{n}', seconds))}</p>"
        f'<p class="note" id="shared" hidden>{_escape(texts["shared"])}</p>'
        '<div class="card">'
        f'<p id="status" role="status" aria-live="polite">{_escape(texts["ready"])}</p>'
        '<p id="countdown" aria-live="off"></p><p id="detail" aria-live="polite"></p>'
        '<p class="note" id="sent" aria-live="polite"></p>'
        f'<p class="note" id="noscript">{_escape(texts["no_script"])}</p></div>'
        f'<button id="start" type="button" hidden>{_escape(texts["start"])}</button>'
        f'</main><script type="application/json" id="config">{data}</script>'
        f"<script>{_SCRIPT}</script></body></html>\n"
    )


SETTINGS_KEY = web.AppKey("test_page", TestPageSettings)


def add_test_page_route(app: web.Application, settings: TestPageSettings) -> None:
    """Serve the page at `/test`, in the language the browser asks for (or `?lang=en|fr`)."""
    app[SETTINGS_KEY] = settings
    app.router.add_get("/test", _test_page)


async def _test_page(request: web.Request) -> web.Response:
    language = page_language(request.headers.get("Accept-Language", ""), request.query.get("lang", ""))
    body = render_page(language, request.app[SETTINGS_KEY])
    return web.Response(text=body, content_type="text/html", charset="utf-8", headers=PAGE_HEADERS)
