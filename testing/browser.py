"""A signed-in browser's HTTP requests to a real server, as nginx passes them on."""

import http.client
import secrets
from dataclasses import dataclass
from http.cookies import SimpleCookie


@dataclass
class Browser:
    """A browser's cookies, talking HTTP to the site on 127.0.0.1:``port`` as nginx would."""

    host: str
    port: int
    cookies: dict[str, str]

    def request(
        self, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> tuple[int, str, str]:
        """Send one request; keep the cookies it sets; return (status, Location, body)."""
        status, headers, text = self.exchange(method, path, body, content_type)
        return status, headers.get("Location", ""), text

    def exchange(
        self, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> tuple[int, http.client.HTTPMessage, str]:
        """Send one request; keep the cookies it sets; return (status, headers, body)."""
        headers = {
            "Host": self.host,
            # What nginx adds in front: the request came over HTTPS, from this address.
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
            "Connection": "close",
        }
        if method == "POST":
            headers |= {
                "Origin": f"https://{self.host}",
                "Referer": f"https://{self.host}{path}",
                "Content-Type": content_type,
            }
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, text


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body, as a browser sends a form with (PDF) files."""
    boundary = f"----volontiers{secrets.token_hex(12)}"
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, (filename, content) in files.items():
        parts.append(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
