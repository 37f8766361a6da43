"""The test link page's words, in English and French, and which one a browser asked for.

The page is served by the probe, not the app, so its texts live here rather than in the app's catalogue.
`{n}` is a number of seconds, filled in by the page's script.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Sparkup network test",
        "intro": "This test checks that the network this device is on lets Sparkup's live connection through, "
        "as polls, Q&A and the Mosaic wall need. It takes {n} seconds. Keep this page open until it ends.",
        "shared": "Your result goes to the organiser who showed you this link. Nothing else about you is sent.",
        "start": "Start the test",
        "again": "Test again",
        "ready": "Ready",
        "waiting": "Waiting",
        "left": "{n} s left. Keep this page open.",
        "success": "Success",
        "success_detail": "The live connection stayed open for {n} s and answered all along. This network is fine "
        "for Sparkup.",
        "failed": "Failed",
        "unreachable": "This device cannot reach the platform: the network does not resolve its name (DNS), or a "
        "firewall blocks it.",
        "blocked": "Web pages get through, but the live connection (WebSocket) is refused: a proxy or a firewall "
        "on this network blocks it.",
        "cut": "The live connection was cut after {n} s. Sparkup needs it to stay open for the whole session: the "
        "network's IT should let WebSockets stay open at least 10 minutes.",
        "silent": "The live connection stopped answering after {n} s: something on this network drops it without "
        "closing it.",
        "offline": "This device is not connected to a network.",
        "interrupted": "The test stopped when the screen turned off or the page was left: this says nothing about "
        "the network. Test again, and keep this page open until it ends.",
        "testing": "Testing…",
        "other": "The test could not finish.",
        "sent": "Your result was sent to the organiser.",
        "not_sent": "Your result could not be sent to the organiser: show them this screen.",
        "no_script": "This test needs JavaScript. Turn it on for this page, then reload it.",
    },
    "fr": {
        "title": "Test réseau Sparkup",
        "intro": "Ce test vérifie que le réseau de cet appareil laisse passer la connexion en direct de Sparkup, "
        "dont ont besoin les sondages, les questions et le mur Mosaic. Il dure {n}\u00a0secondes. Gardez cette "
        "page ouverte jusqu’à la fin.",
        "shared": "Votre résultat est transmis à l’organisateur qui vous a montré ce lien. Rien d’autre vous "
        "concernant n’est envoyé.",
        "start": "Lancer le test",
        "again": "Refaire le test",
        "ready": "Prêt",
        "waiting": "En attente",
        "left": "Encore {n}\u00a0s. Gardez cette page ouverte.",
        "success": "Réussi",
        "success_detail": "La connexion en direct est restée ouverte {n}\u00a0s et a répondu tout du long. Ce "
        "réseau convient à Sparkup.",
        "failed": "Échec",
        "unreachable": "Cet appareil n’atteint pas la plateforme\u00a0: le réseau ne résout pas son nom (DNS), ou "
        "un pare-feu la bloque.",
        "blocked": "Les pages web passent, mais la connexion en direct (WebSocket) est refusée\u00a0: un proxy ou "
        "un pare-feu de ce réseau la bloque.",
        "cut": "La connexion en direct a été coupée au bout de {n}\u00a0s. Sparkup a besoin qu’elle reste ouverte "
        "toute la session\u00a0: l’informatique du réseau doit laisser les WebSockets ouverts au moins "
        "10\u00a0minutes.",
        "silent": "La connexion en direct a cessé de répondre au bout de {n}\u00a0s\u00a0: un équipement de ce "
        "réseau l’abandonne sans la fermer.",
        "offline": "Cet appareil n’est connecté à aucun réseau.",
        "interrupted": "Le test s’est arrêté quand l’écran s’est éteint ou que la page a été quittée\u00a0: cela "
        "ne dit rien du réseau. Refaites le test, et gardez cette page ouverte jusqu’à la fin.",
        "testing": "Test en cours…",
        "other": "Le test n’a pas pu aller au bout.",
        "sent": "Votre résultat a été transmis à l’organisateur.",
        "not_sent": "Votre résultat n’a pas pu être transmis à l’organisateur\u00a0: montrez-lui cet écran.",
        "no_script": "Ce test a besoin de JavaScript. Activez-le pour cette page, puis rechargez-la.",
    },
}
LANGUAGES = tuple(TEXTS)
assert all(set(texts) == set(TEXTS["en"]) for texts in TEXTS.values())


def page_language(accept_language: str, asked: str = "") -> str:
    """`?lang=` when it names a language the page speaks, else the best of Accept-Language, else English."""
    if asked in TEXTS:
        return asked
    best, best_q = "en", 0.0
    for position, part in enumerate(accept_language.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        base = tag.strip().lower().split("-")[0]
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        q -= position * 1e-6  # earlier wins a tie, as the header's order means
        if base in TEXTS and q > best_q:
            best, best_q = base, q
    return best
