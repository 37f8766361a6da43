"""The checks, grouped for a person (Internet & DNS, Firewall, …), in a scrollable column of cards."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo
from sparkgui.core.problems import Problem, problems_of
from sparkgui.ui.check_card import CheckCard
from sparkgui.ui.groups import Group, group_for, group_note, group_title, ordered_groups


class GroupHeader(QLabel):
    """A group's heading in the list: its title, and how its checks are going once some are done."""

    def __init__(self, group: Group, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = group
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        font = self.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.12)
        self.setFont(font)
        self.setContentsMargins(2, 10, 2, 2)


class CheckList(QScrollArea):
    """The cards of a plan under their group headings; a group with no check in the plan is left out."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.cards: dict[str, CheckCard] = {}  # by check id
        self.headers: dict[str, GroupHeader] = {}
        self.plan_ids: list[CheckId] = []
        self.top: QWidget | None = None  # shown above the cards, scrolled with them (the speed panel)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._build([])

    def _build(self, infos: Sequence[CheckInfo]) -> None:
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.setSpacing(4)
        if self.top is not None:
            layout.addWidget(self.top)  # moved into the new container before the old one is deleted
        by_group: dict[str, list[CheckInfo]] = {}
        for info in infos:
            by_group.setdefault(group_for(info.kind).key, []).append(info)
        self.cards, self.headers = {}, {}
        self.plan_ids = [info.id for info in infos]
        for group in ordered_groups():
            members = by_group.get(group.key)
            if not members:
                continue  # a group with no check in this plan says nothing, so it is not shown
            header = GroupHeader(group, container)
            self.headers[group.key] = header
            layout.addWidget(header)
            for info in members:
                card = CheckCard(info, self.lang, container)
                self.cards[info.id] = card
                layout.addWidget(card)
        layout.addStretch(1)
        self.setWidget(container)  # the previous container and its cards are deleted with it
        self._render_headers()

    def set_top(self, widget: QWidget) -> None:
        """Show `widget` above the cards, in the same scrolled area: it costs the window no height of its own."""
        self.top = widget
        self._build([info for info in (self.cards[i].info for i in self.plan_ids)])

    def show_plan(self, infos: Sequence[CheckInfo]) -> None:
        """Show these checks, waiting; reuses the cards when the plan has not changed."""
        if [info.id for info in infos] == self.plan_ids:
            for info in infos:
                self.cards[info.id].reset(info)
            self._render_headers()
        else:
            self._build(infos)

    def card(self, check_id: str) -> CheckCard:
        """The card of a check, by its id (`dns:app.sparkup.app`)."""
        return self.cards[check_id]

    def set_language(self, lang: str) -> None:
        """Redraw every card and heading in `lang`."""
        self.lang = lang
        for card in self.cards.values():
            card.set_language(lang)
        self._render_headers()

    def render_headers(self) -> None:
        """Update the group headings from the cards' results so far."""
        self._render_headers()

    def _render_headers(self) -> None:
        records = [c.record for c in self.cards.values() if c.record is not None]
        problems = problems_of(records)  # once for every header: they are redrawn every 50 ms during a run
        for key in self.headers:
            self._render_header(key, problems)

    def _render_header(self, key: str, problems: Sequence[Problem]) -> None:
        header = self.headers.get(key)
        if header is None:
            return
        members = [(c.info, c.record) for c in self.cards.values() if group_for(c.info.kind).key == key]
        note = group_note(header.group, members, problems)
        title = group_title(header.group, [info for info, _ in members]).render(self.lang)
        header.setText(title if note is None else f"{title} — {note.render(self.lang)}")
