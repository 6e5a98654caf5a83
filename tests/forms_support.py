"""Helpers of the form tests: the token of a form page, a valid submission per form."""

from __future__ import annotations

from .helpers import soup, visible

FORM_PATHS = {
    "bestellung": "/sozialberichte/bestellen",
    "kontakt": "/kontakt",
    "barriere": "/barriere-melden",
}

VALID = {
    "bestellung": {
        "name": "Erika Mustermann",
        "street": "Fürstenwall 25",
        "postcode": "40219",
        "city": "Düsseldorf",
        "copies": "2",
        "email": "",
        "consent": "y",
    },
    "kontakt": {
        "name": "",
        "email": "erika@beispiel.de",
        "subject": "Frage zum Sozialbericht",
        "message": "Wann erscheint der nächste Bericht?",
        "consent": "y",
    },
    "barriere": {
        "page": "/sozialberichte/",
        "description": "Die Tabelle hat keine Spaltenüberschriften.",
        "contact": "",
    },
}


def csrf_token(client, path: str = "/kontakt") -> str:
    """The CSRF token of the form on ``path`` (it also starts the client's session)."""
    field = soup(client.get(path).data).find("input", attrs={"name": "csrf_token"})
    assert field is not None, f"{path}: no CSRF token"
    return field["value"]


def submit(client, kind: str, prefix: str = "", htmx: bool = False, token=True, **fields):
    """POSTs the form ``kind`` (valid values, overridden by ``fields``) with a fresh token."""
    path = prefix + FORM_PATHS[kind]
    data = {**VALID[kind], **fields}
    if token is True:
        data["csrf_token"] = csrf_token(client, path)
    elif token:
        data["csrf_token"] = token
    data = {key: value for key, value in data.items() if value is not None}
    headers = {"HX-Request": "true", "HX-Current-URL": "http://localhost" + path} if htmx else {}
    return client.post(path, data=data, headers=headers)


def error_messages(response) -> dict[str, str]:
    """Field id → its error message, as shown next to the field."""
    page = soup(response.data)
    found = {}
    for error in page.select(".form-error"):
        field_id = error["id"].removesuffix("-fehler")
        found[field_id] = visible(error.get_text(" ", strip=True)).split(" ", 1)[1]
    return found
