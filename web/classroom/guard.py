"""What keeps a classroom server safe in a room: the origin check, bounded input, join codes."""
import hmac
import secrets
import time
from urllib.parse import urlsplit

MAX_MESSAGE = 4096          # bytes in one WebSocket message from a page
INPUT_RATE = 2048           # bytes per second a page may type into its machine, on average
INPUT_BURST = 8192          # bytes it may type at once (a pasted line)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"   # no 0/O, 1/I: read aloud in a room


def same_origin(request):
    """True when the page that opened this request was served by this server: the Origin's
    host:port is the Host the browser asked for. Browsers always send Origin on WebSockets, so a
    missing one is refused too."""
    origin = request.headers.get("Origin")
    if not origin:
        return False
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc == request.host


def equal(a, b):
    return hmac.compare_digest(a.encode(), b.encode())


def join_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


class TokenBucket:
    """INPUT_RATE bytes/s with INPUT_BURST of credit; take() says whether n bytes may pass."""

    def __init__(self, rate=INPUT_RATE, burst=INPUT_BURST):
        self.rate, self.burst = rate, burst
        self.credit, self.when = burst, time.monotonic()

    def take(self, n):
        now = time.monotonic()
        self.credit = min(self.burst, self.credit + (now - self.when) * self.rate)
        self.when = now
        if n > self.credit:
            return False
        self.credit -= n
        return True


class Attempts:
    """At most `limit` failed guesses (join code, teacher token) per client address a minute."""

    def __init__(self, limit=10, window=60.0):
        self.limit, self.window, self.failed = limit, window, {}

    def blocked(self, who):
        now = time.monotonic()
        recent = [t for t in self.failed.get(who, []) if now - t < self.window]
        self.failed[who] = recent
        return len(recent) >= self.limit

    def fail(self, who):
        self.failed.setdefault(who, []).append(time.monotonic())
