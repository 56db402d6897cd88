"""The review round's form read out of the answer page as a browser reads it, to be posted back:
the fields of one form (inputs, the selected option of each select, textareas), with one
``item`` field per item the form holds."""

from html.parser import HTMLParser


class _Form(HTMLParser):
    """The fields of one form of a page, as a browser would send them (without any button)."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self._select, self._textarea = action, False, "", ""
        self.fields: list[list[str]] = []
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
        elif self.inside and tag == "input" and a.get("type") != "submit":
            self.fields.append([a["name"], a.get("value", "")])
        elif self.inside and tag == "select":
            self._select, self._options = a["name"], []
        elif self.inside and tag == "option":
            self._options.append((a.get("value", ""), "selected" in a))
        elif self.inside and tag == "textarea":
            self._textarea = a["name"]
            self.fields.append([a["name"], ""])

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[-1][1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            chosen = [v for v, selected in self._options if selected] or [self._options[0][0]]
            self.fields.append([self._select, chosen[0]])
            self._select = ""
        elif tag == "textarea":
            self._textarea = ""


def round_form(page: str, action: str) -> dict[str, str]:
    found = _Form(action)
    found.feed(page)
    assert found.fields, f"no form {action} on the page"
    return dict(found.fields)


def send(fields: dict[str, str], *extra: tuple[str, str]) -> dict[str, str | list[str]]:
    """The form to post, with one ``item`` field per item (``round_form``'s dict kept only one)."""
    sent: dict[str, str | list[str]] = {k: v for k, v in fields.items() if k != "item"}
    sent["item"] = [name.split(":", 1)[1] for name in fields if name.startswith("status:")]
    for name, value in extra:
        if name == "item":
            sent["item"] = [*sent["item"], value]
        else:
            sent[name] = value
    return sent
