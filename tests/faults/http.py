"""A browser's view of a real server: cookies, forms, no redirects followed."""

import http.client
import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlencode


@dataclass
class Answer:
    status: int
    headers: dict
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Browser:
    def __init__(self, port: int, *, timeout: float = 120):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body=None, headers=None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
            connection.request(method, path, body=body, headers={**sent, **(headers or {})})
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";")[0]
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, text)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, fields, content_type="application/x-www-form-urlencoded"):
        body = urlencode(fields, doseq=True).encode() if not isinstance(fields, bytes) else fields
        return self.request("POST", path, body, {"Content-Type": content_type})


def hidden_fields(html: str) -> list[tuple[str, str]]:
    """The hidden inputs of the page's forms (CSRF token, submission key), in order."""
    return [
        (unescape(name), unescape(value))
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    ]


def ballot_form(html: str) -> dict:
    """The ballot form's hidden fields: the CSRF token and this form's submission key."""
    fields = dict(hidden_fields(html))
    return {
        "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"],
        "submission": fields["submission"],
    }
