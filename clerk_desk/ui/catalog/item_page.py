"""The item page: an item's knowledge base (颗粒化知识库) and its materials checklist, or a theme bundle
(一件事) with its merged checklist. Unknown facts read 待确认 (translated "To be confirmed")."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from clerk_desk.catalog.checklist import when_text
from clerk_desk.catalog.format import (
    DELIVERY_ZH,
    FORM_ZH,
    HANDLING_KIND_ZH,
    URGENCY_ZH,
    Situation,
    copies_text,
)
from clerk_desk.catalog.views import ItemDetail, ThemeDetail
from clerk_desk.ui.widgets import plain_label

_CSS = """
h2 { font-size: 13pt; margin: 10px 0 4px 0; }
table.kb td.k { color: #444; font-weight: bold; padding-right: 12px; white-space: nowrap; }
table.mat { border-collapse: collapse; }
table.mat th { background-color: #eeeeee; }
.unknown { color: #a05a00; }
.muted { color: #666666; }
"""


class ItemPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catalogItemPage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.title = plain_label("", "catalogItemTitle", self, wrap=True)
        # Bold at the body size: an application style sheet rule used to hold every widget at 11 pt, so a
        # larger title never showed, and the page is laid out for this one.
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.retired = plain_label("", "catalogItemRetired", self)
        self.retired.setStyleSheet("color: white; background: #b00020; padding: 4px; font-weight: bold;")
        self.retired.setWordWrap(True)
        self.retired.hide()
        self.view = QTextBrowser(self)
        self.view.setObjectName("catalogItemView")
        self.view.setOpenExternalLinks(False)
        self.view.document().setDefaultStyleSheet(_CSS)
        layout.addWidget(self.title)
        layout.addWidget(self.retired)
        layout.addWidget(self.view, 1)
        self.current_code: str | None = None
        self.clear()

    # ---- helpers ----------------------------------------------------------------------------------

    def _words(self) -> dict[str, str]:
        """Translated words used inside f-strings (lupdate does not look into f-strings)."""
        return {
            "To be confirmed": self.tr("To be confirmed"),
            "local code": self.tr("local code"),
            "Notes": self.tr("Notes"),
            "Materials checklist": self.tr("Materials checklist"),
            "Sources": self.tr("Sources"),
            "not in this catalog": self.tr("not in this catalog"),
            "Demo bundle": self.tr("Demo bundle"),
            "Items": self.tr("Items"),
            "Merged checklist (a shared material is asked once)": self.tr(
                "Merged checklist (a shared material is asked once)"
            ),
            "Situations": self.tr("Situations (the answers decide which materials apply)"),
            "default": self.tr("default"),
            "only when": self.tr("only when: %1"),
            "foreign": self.tr(
                "Taken from a service guide of another province (%1: %2): materials and time "
                "limits must be confirmed by the county's department before use."
            ),
        }

    def _unknown(self) -> str:
        return f"<span class='unknown'>{escape(self._words()['To be confirmed'])}</span>"

    def _val(self, text: str | None) -> str:
        return escape(text) if text else self._unknown()

    def _days(self, days: int | None) -> str:
        return escape(self.tr("%n working day(s)", "", days)) if days is not None else self._unknown()

    def _situations(self, situations: tuple[Situation, ...]) -> str:
        if not situations:
            return ""
        w = self._words()
        rows = "".join(
            f"<li>{escape(s.question)}："
            + "、".join(
                escape(o.label)
                + (f" <span class='muted'>({escape(w['default'])})</span>" if o.code == s.default else "")
                for o in s.options
            )
            + (f" <span class='muted'>{escape(s.note)}</span>" if s.note else "")
            + "</li>"
            for s in situations
        )
        return f"<h2>{escape(w['Situations'])}</h2><ul>{rows}</ul>"

    def _foreign(self, it: ItemDetail) -> str:
        where = it.foreign_source
        if where is None:
            return ""
        text = self._words()["foreign"].replace("%1", where[0]).replace("%2", where[1])
        return f"<p class='unknown'>{escape(text)}</p>"

    def _materials_table(self, rows: list[tuple[str, str | None, str, bool, bool, str]]) -> str:
        head = "".join(
            f"<th>{escape(h)}</th>"
            for h in (
                self.tr("No."),
                self.tr("Material"),
                self.tr("Form"),
                self.tr("Copies"),
                self.tr("Required"),
                self.tr("Note"),
            )
        )
        body = []
        for n, (name, form, copies, required, waivable, note) in enumerate(rows, 1):
            need = self.tr("Required") if required else self.tr("If applicable")
            if waivable:
                need += " · " + self.tr("may be pledged (容缺)")
            body.append(
                f"<tr><td>{n}</td><td>{escape(name)}</td><td>{escape(FORM_ZH.get(form or '', '—'))}</td>"
                f"<td>{escape(copies) or '—'}</td><td>{escape(need)}</td><td class='muted'>{escape(note)}</td></tr>"
            )
        return (
            "<table class='mat' width='100%' border='1' cellspacing='0' cellpadding='4'>"
            f"<tr>{head}</tr>{''.join(body)}</table>"
        )

    # ---- public -----------------------------------------------------------------------------------

    def clear(self) -> None:
        self.current_code = None
        self.title.setText(self.tr("Select an item to see its knowledge base and materials"))
        self.retired.hide()
        self.view.setHtml("")

    def show_item(self, it: ItemDetail) -> None:
        self.current_code = it.code
        self.title.setText(it.name)
        if it.retired:
            self.retired.setText(
                self.tr(
                    "已停用 — retired in catalog version %1; kept for earlier cases, not for new intake"
                ).replace("%1", it.retired_in_version or "")
            )
            self.retired.show()
        else:
            self.retired.hide()
        code = escape(it.code) + (
            f" <span class='muted'>({escape(self._words()['local code'])})</span>" if it.is_local_code else ""
        )
        kb = [
            (self.tr("Item code"), code),
            (self.tr("Department"), escape(it.department_name)),
            (self.tr("Lists"), escape("、".join(n for _, n in it.lists)) or "—"),
            (self.tr("Item type"), self._val(it.type)),
            (self.tr("Handling"), self._val(HANDLING_KIND_ZH.get(it.handling_kind or ""))),
            (self.tr("Urgency"), self._val(URGENCY_ZH.get(it.urgency or ""))),
            (self.tr("Legal time limit"), self._days(it.legal_days)),
            (self.tr("Promised time limit"), self._days(it.promised_days)),
            (self.tr("Fee"), self._val(it.fee)),
            (self.tr("Conditions"), self._val(it.conditions)),
            (self.tr("Legal basis"), self._val(it.legal_basis)),
            (self.tr("Delivery"), self._val("、".join(DELIVERY_ZH.get(d, d) for d in it.delivery))),
            (self.tr("Also known as"), escape("、".join(it.keywords)) or "—"),
            (self.tr("Catalog version"), escape(it.catalog_version)),
        ]
        rows = "".join(f"<tr><td class='k'>{escape(k)}</td><td>{v}</td></tr>" for k, v in kb)
        only = self._words()["only when"]
        mats = (
            self._materials_table(
                [
                    (
                        m.name,
                        m.form,
                        copies_text(m.form, m.copies, m.copies_split),
                        m.required,
                        bool(m.waivable),
                        "；".join(
                            p
                            for p in (
                                only.replace("%1", when_text(m.when, it.situations)) if m.when else "",
                                m.note or "",
                            )
                            if p
                        ),
                    )
                    for m in it.materials
                ]
            )
            if it.materials
            else f"<p>{self._unknown()}</p>"
        )
        notes = (
            f"<h2>{escape(self._words()['Notes'])}</h2><p class='muted'>{escape(it.note)}</p>"
            if it.note
            else ""
        )
        sources = "".join(
            f"<li>{escape(s.get('region') or '')} <span class='muted'>{escape(s.get('url') or '')}</span></li>"
            for s in it.sources
        )
        self.view.setHtml(
            f"{self._foreign(it)}<table class='kb' cellspacing='0' cellpadding='3'>{rows}</table>"
            f"{self._situations(it.situations)}"
            f"<h2>{escape(self._words()['Materials checklist'])}</h2>{mats}{notes}"
            f"<h2>{escape(self._words()['Sources'])}</h2><ul>{sources or '<li>—</li>'}</ul>"
        )

    def show_theme(self, th: ThemeDetail) -> None:
        self.current_code = th.code
        self.title.setText(th.name)
        self.retired.setVisible(th.retired)
        self.retired.setText(self.tr("已停用 — this theme bundle is retired"))
        items = "".join(
            f"<li>{escape(i.name)} <span class='muted'>{escape(i.code)}</span></li>" for i in th.items
        )
        items += "".join(
            f"<li class='unknown'>{escape(c)} ({escape(self._words()['not in this catalog'])})</li>"
            for c in th.missing_items
        )
        names = {i.code: i.name for i in th.items}
        only = self._words()["only when"]
        rows = [
            (
                m.name,
                m.form,
                copies_text(m.form, m.copies, m.copies_split),
                m.required,
                m.waivable,
                "；".join(
                    [
                        *(
                            [only.replace("%1", " / ".join(when_text(w, th.situations) for w in m.when_any))]
                            if m.when_any
                            else []
                        ),
                        *m.notes,
                        self.tr("for: %1").replace("%1", "、".join(names.get(c, c) for c in m.item_codes)),
                    ]
                ),
            )
            for m in th.checklist
        ]
        demo = f"<p class='unknown'>{escape(self._words()['Demo bundle'])}</p>" if th.is_demo else ""
        self.view.setHtml(
            f"{demo}<p>{escape(th.description or '')}</p><h2>{escape(self._words()['Items'])}</h2><ul>{items}</ul>"
            f"{self._situations(th.situations)}"
            f"<h2>{escape(self._words()['Merged checklist (a shared material is asked once)'])}</h2>"
            f"{self._materials_table(rows)}"
        )
