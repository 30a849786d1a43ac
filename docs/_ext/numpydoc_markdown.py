"""Griffe extension for the API reference: the reStructuredText that numpydoc
docstrings use, rewritten as the Markdown that mkdocstrings renders.

The docstrings follow scikit-learn's conventions (they are also read by
``help()`` and run as doctests), so they contain a few reStructuredText
constructs that Markdown does not know.  Before griffe parses a docstring this
extension rewrites

- ``.. math::`` blocks and ``:math:`x``` roles as MathJax ``$$ ... $$`` and
  ``$ ... $`` (rendered by pymdownx.arithmatex);
- cross-reference roles (``:class:`~mifs.MIRanker```, ``:func:``, ``:meth:``,
  ``:mod:``, ``:attr:``, ``:data:``) as inline code showing the name;
- simple tables (rows between ``====  ====`` borders) as bullet lists;
- the entries of a "See Also" section (``name : description``) as bullets;
- references (``.. [1] ...``) and citations (``[1]_``) as bracketed numbers;
- in module docstrings, a term followed by an indented block as a Markdown
  definition list.

Only the docstrings griffe hands to the renderer are changed, never the code.
"""

from __future__ import annotations

import re

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|attr|data|obj|exc|const):`~?([^`]+)`")
_MATH_ROLE = re.compile(r":math:`([^`]+)`")
_CITATION = re.compile(r"\[(\d+)\]_")
_REFERENCE = re.compile(r"^(\s*)\.\. \[(\d+)\]\s*")
_TABLE_BORDER = re.compile(r"^\s*=+(?: +=+)+\s*$")
_HEADER_UNDERLINE = re.compile(r"^\s*-{3,}\s*$")


def _role(match: re.Match) -> str:
    target = match.group(1)
    shown = target.rsplit(".", 1)[-1] if match.group(0).split("`")[1].startswith("~") else target
    return f"`{shown}`"


def _math_blocks(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        if not stripped.startswith(".. math::"):
            out.append(line)
            i += 1
            continue
        indent = line[: len(line) - len(stripped)]
        body = [stripped[len(".. math::"):].strip()]
        i += 1
        while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > len(indent)):
            body.append(lines[i].strip())
            i += 1
        body = [b for b in body if b]
        out += [indent + "$$", *(indent + b for b in body), indent + "$$", ""]
    return out


def _simple_tables(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not _TABLE_BORDER.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        border = lines[i]
        starts = [m.start() for m in re.finditer(r"=+", border)]
        indent = border[: starts[0]]
        i += 1
        while i < len(lines) and not _TABLE_BORDER.match(lines[i]):
            row = lines[i]
            if row.strip():
                cells = [row[a:b].strip() for a, b in zip(starts, [*starts[1:], len(row) + 1])]
                head, rest = cells[0], " ".join(c for c in cells[1:] if c)
                out.append(f"{indent}- {head}: {rest}")
            i += 1
        i += 1  # the closing border
        out.append("")
    return out


def _see_also(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        out.append(lines[i])
        if lines[i].strip() == "See Also" and i + 1 < len(lines) and _HEADER_UNDERLINE.match(lines[i + 1]):
            out.append(lines[i + 1])
            base = len(lines[i]) - len(lines[i].lstrip())
            i += 2
            while i < len(lines):
                line = lines[i]
                if i + 1 < len(lines) and line.strip() and _HEADER_UNDERLINE.match(lines[i + 1]):
                    break  # the next section
                depth = len(line) - len(line.lstrip())
                if line.strip() and depth == base:
                    name, _, description = line.strip().partition(" : ")
                    out.append(f"{' ' * base}- `{name.strip()}`" + (f": {description}" if description else ""))
                elif line.strip():
                    out.append(" " * (base + 2) + line.strip())
                else:
                    out.append(line)
                i += 1
            continue
        i += 1
    return out


def _references(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        match = _REFERENCE.match(line)
        out.append(f"{match.group(1)}- \\[{match.group(2)}\\] {line[match.end():]}" if match else line)
    return out


def _definition_lists(lines: list[str]) -> list[str]:
    """A term on its own line followed by lines indented under it becomes a
    Markdown definition (``Term`` then ``:   definition``)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and not line[0].isspace() and nxt.startswith("    ") and not _HEADER_UNDERLINE.match(nxt):
            out += ["", line]
            i += 1
            first = True
            while i < len(lines) and lines[i].startswith("    "):
                out.append((":   " if first else "    ") + lines[i].strip())
                first = False
                i += 1
            out.append("")
            continue
        out.append(line)
        i += 1
    return out


def to_markdown(text: str, *, module: bool = False) -> str:
    """The Markdown form of a numpydoc docstring (``module``: a module's docstring,
    whose indented blocks are definition lists)."""
    lines = text.splitlines()
    if module:
        lines = _definition_lists(lines)
    lines = _see_also(_simple_tables(_math_blocks(lines)))
    lines = _references(lines)
    text = "\n".join(lines)
    text = _MATH_ROLE.sub(lambda m: f"${m.group(1)}$", text)
    text = _ROLE.sub(_role, text)
    return _CITATION.sub(lambda m: f"\\[{m.group(1)}\\]", text)


class NumpydocMarkdown(griffe.Extension):
    """Rewrite every docstring with :func:`to_markdown` once the tree is loaded."""

    def on_object(self, *, obj: griffe.Object, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = to_markdown(obj.docstring.value, module=obj.is_module)
