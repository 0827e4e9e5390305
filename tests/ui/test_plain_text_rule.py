"""The plain-text rule of docs/ui.md, checked in the source of clerk_desk/ui.

Qt reads the text of a label, a message box, a tooltip or a form row's caption as HTML when it looks
like HTML (and loads what an ``<img src>`` names), so:

- labels are made by ui/widgets.py (plain_label / rich_label), nowhere else;
- a QMessageBox is given Qt.TextFormat.PlainText where it is made; QMessageBox's static functions,
  QInputDialog and QErrorMessage (which cannot be told so) are not used;
- a tooltip (also one shown with QToolTip.showText), What's This? help, a message box's informative text,
  a window title or a form row's caption is a literal, a tr() text, or goes through plain_tooltip /
  plain_title / a plain label;
- a document set from HTML is built by a module that escapes (html.escape);
- a chart's title, series name or categories (QtCharts draws them all as HTML) are a literal, a tr() text,
  or go through chart_text.

The hostile-text walk (tests/ui/hostile/) checks what is really shown; this catches a new widget before
it has a test.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
UI = REPO / "clerk_desk" / "ui"
WIDGETS = UI / "widgets.py"
TRANSLATE = {"tr", "translate", "QT_TRANSLATE_NOOP"}


def modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(UI.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def name_of(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(REPO)}:{getattr(node, 'lineno', 0)}"


def is_fixed_text(node: ast.expr) -> bool:
    """A literal or a translation."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    return isinstance(node, ast.Call) and name_of(node.func) in TRANSLATE


def passed_through(node: ast.expr, helper: str) -> bool:
    return isinstance(node, ast.Call) and name_of(node.func) == helper


def test_labels_are_made_by_the_widgets_helpers_only() -> None:
    made = [
        where(p, c)
        for p, tree in modules()
        if p != WIDGETS
        for c in calls(tree)
        if name_of(c.func) == "QLabel"
    ]
    made += [
        where(p, k)
        for p, tree in modules()
        if p != WIDGETS
        for k in ast.walk(tree)
        if isinstance(k, ast.ClassDef) and any(name_of(b) == "QLabel" for b in k.bases)
    ]  # a label of its own kind would be made without the helpers' text format
    assert not made, f"QLabel made outside ui/widgets.py (use plain_label or rich_label): {made}"
    helper = ast.parse(WIDGETS.read_text(encoding="utf-8"))
    plain = next(f for f in ast.walk(helper) if isinstance(f, ast.FunctionDef) and f.name == "plain_label")
    assert "PlainText" in ast.unparse(plain)


def function_of(tree: ast.Module, node: ast.AST) -> ast.AST:
    """The innermost function around ``node`` (the module when there is none)."""
    around = [
        f
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        and any(n is node for n in ast.walk(f))
    ]
    return min(around, key=lambda f: sum(1 for _ in ast.walk(f)), default=tree)


def test_message_boxes_are_plain_text() -> None:
    wrong = []
    for path, tree in modules():
        for c in calls(tree):
            func = c.func
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "QMessageBox"
                and func.attr in ("warning", "information", "question", "critical", "about")
            ):
                wrong.append(f"{where(path, c)} QMessageBox.{func.attr}() reads its text as HTML")
            if name_of(func) in ("QInputDialog", "QErrorMessage") or (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "QInputDialog"
            ):
                wrong.append(f"{where(path, c)} {ast.unparse(func)} cannot be made plain text")
            if name_of(func) == "QMessageBox":
                body = ast.unparse(function_of(tree, c))
                if "setTextFormat(Qt.TextFormat.PlainText)" not in body:
                    wrong.append(
                        f"{where(path, c)} QMessageBox without setTextFormat(Qt.TextFormat.PlainText)"
                    )
    assert not wrong, "\n".join(wrong)


def test_tooltips_titles_and_form_captions_are_plain() -> None:
    wrong = []
    for path, tree in modules():
        for c in calls(tree):
            what = name_of(c.func)
            if not c.args:
                continue
            first = c.args[0]
            if what == "setToolTip" and not (is_fixed_text(first) or passed_through(first, "plain_tooltip")):
                wrong.append(f"{where(path, c)} setToolTip({ast.unparse(first)}): use plain_tooltip()")
            # read as HTML when they look like it, as a tooltip is: What's This? help, a tooltip shown by hand,
            # a message box's second text (its setTextFormat does not reach it)
            if what in ("setWhatsThis", "setInformativeText") and not (
                is_fixed_text(first) or passed_through(first, "plain_tooltip")
            ):
                wrong.append(f"{where(path, c)} {what}({ast.unparse(first)}): use plain_tooltip()")
            if what == "setTabToolTip" and len(c.args) > 1 and not (
                is_fixed_text(c.args[1]) or passed_through(c.args[1], "plain_tooltip")
            ):
                wrong.append(f"{where(path, c)} setTabToolTip(…, {ast.unparse(c.args[1])}): use plain_tooltip()")
            if (
                what in ("setItemData", "setData")
                and any("ToolTipRole" in ast.unparse(a) for a in c.args)
                and not any(is_fixed_text(a) or passed_through(a, "plain_tooltip") for a in c.args)
            ):  # a list entry's or a cell's tooltip
                wrong.append(f"{where(path, c)} {what}({ast.unparse(c)}): a tooltip goes through plain_tooltip()")
            if what == "showText" and len(c.args) > 1 and not (
                is_fixed_text(c.args[1]) or passed_through(c.args[1], "plain_tooltip")
            ):
                wrong.append(f"{where(path, c)} showText(…, {ast.unparse(c.args[1])}): use plain_tooltip()")
            if what == "setWindowTitle" and not (
                is_fixed_text(first) or passed_through(first, "plain_title")
            ):
                wrong.append(f"{where(path, c)} setWindowTitle({ast.unparse(first)}): use plain_title()")
            if what in ("addRow", "insertRow") and isinstance(first, ast.JoinedStr | ast.IfExp | ast.BinOp):
                wrong.append(f"{where(path, c)} a form caption made of data: pass a plain_label()")
    assert not wrong, "\n".join(wrong)


def test_html_documents_are_built_from_escaped_text() -> None:
    wrong = []
    for path, tree in modules():
        uses_html = any(name_of(c.func) in ("setHtml", "insertHtml", "setMarkdown") for c in calls(tree))
        escapes = any(
            isinstance(n, ast.ImportFrom) and n.module == "html" and any(a.name == "escape" for a in n.names)
            for n in ast.walk(tree)
        )
        if uses_html and not escapes:
            wrong.append(str(path.relative_to(REPO)))
        for c in calls(tree):
            if (
                name_of(c.func) == "setTextFormat"
                and c.args
                and "RichText" in ast.unparse(c.args[0])
                and path != WIDGETS
            ):
                wrong.append(f"{where(path, c)} RichText outside widgets.rich_label")
    assert not wrong, f"HTML set without escaping: {wrong}"


# What QtCharts draws as HTML, whatever the text looks like: the first argument of these ...
CHART_TEXTS = {"setTitle", "setTitleText", "setName", "setLabel", "QBarSet", "QPieSlice", "QLineSeries"}
# ... and the names in a list given to these (a bar axis's categories).
CHART_LISTS = {"append", "insert", "replace", "setCategories"}


def test_chart_texts_are_escaped() -> None:
    wrong = []
    for path, tree in modules():
        if "QtCharts" not in ast.unparse(tree):
            continue
        for c in calls(tree):
            what = name_of(c.func)
            texts: list[ast.expr] = []
            if what in CHART_TEXTS and c.args:
                texts = [c.args[0]]
            elif what in CHART_LISTS:
                for arg in c.args:
                    if isinstance(arg, ast.List | ast.Tuple):
                        texts.extend(arg.elts)
                    elif isinstance(arg, ast.ListComp | ast.GeneratorExp):
                        texts.append(arg.elt)
            for t in texts:
                if not (is_fixed_text(t) or passed_through(t, "chart_text")):
                    wrong.append(f"{where(path, c)} {what}({ast.unparse(t)}): a chart draws it as HTML, use chart_text()")
    assert not wrong, "\n".join(wrong)


def test_fields_keep_only_what_a_person_sees() -> None:
    """A field a person types or pastes into drops the characters nobody sees (widgets.typed_text: a
    bidirectional override printed 「王\u202e五六七」 as 王七六五): one-line fields come from line_edit() or
    go through keep_visible(), boxes for notes are NotesEdit."""
    wrong = []
    for path, tree in modules():
        if path == WIDGETS:
            continue
        kept = {id(c.args[0]) for c in calls(tree) if name_of(c.func) == "keep_visible" and c.args}
        for c in calls(tree):
            if name_of(c.func) == "QLineEdit" and id(c) not in kept:
                wrong.append(f"{where(path, c)} QLineEdit(): use line_edit() or keep_visible()")
            if name_of(c.func) in ("QPlainTextEdit", "QTextEdit"):
                wrong.append(f"{where(path, c)} {name_of(c.func)}(): use NotesEdit")
    assert not wrong, "\n".join(wrong)
