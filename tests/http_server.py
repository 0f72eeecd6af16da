#!/usr/bin/env python3
"""Loopback HTTP server for aidigest's HTTP tests (standard library only).

Usage: python3 tests/http_server.py [PORT_FILE]

Its life (the port it prints, the end of its stdin, /quit) is that of every
test server: tests/testserver.py.

Routes (the counters are per path, query string excluded):
  /feed/NAME          tests/fixtures/feeds/NAME with ETag and Last-Modified;
                      304 to a matching If-None-Match, or (without one) to an
                      If-Modified-Since at or after the file's time
  /gzip/NAME          the fixture, Content-Encoding: gzip when accepted
  /redirect/N[/NAME]  N redirects (302), then /feed/NAME (rss20.xml)
  /redirect-to?url=U  one redirect to U (any scheme)
  /loop               a redirect to itself, for ever
  /status/CODE[/TAG]?retry_after=S&retry_after_date=S&retry_after_ms=M&times=K
                      CODE (with Retry-After: S seconds, or an HTTP-date S
                      seconds ahead; and with retry-after-ms: M) the first
                      K times for this path, then 200 and rss20.xml; K
                      defaults to 1 for 408, 429 and 503, and to "always"
                      for other codes
  /slow?seconds=S     sleeps S seconds (default 10), then rss20.xml
  /latency/NAME?ms=M  sleeps M ms (default 200), then answers as /feed/NAME
                      (validators and 304 included)
  /truncated          Content-Length: 1000, 300 bytes sent, then close
  /big?chunked=1      50 MB streamed in 64 KiB pieces; Content-Length
                      unless chunked=1 (then chunked transfer coding)
  /generated/TAG?items=N&title=T&pad=P
                      an RSS 2.0 feed of N items (at most 100000) made on
                      the spot: titles "T I" (I from 1), pad Hangul
                      syllables of text each, an old date; validators and
                      304 as /feed
  /github/TAG         a GitHub repository search answer of one repository,
                      TAG; the Authorization header it came with (or None)
                      goes to /stats
  /html               an HTML page (text/html)
  /invalid-utf8       an RSS feed whose title has invalid UTF-8 bytes
  /echo               the request's headers as text/plain
  /echo-post[/TAG]?status=CODE&times=K
                      JSON {"method", "body", "length", "headers": {NAME:
                      value}} of the request (the body decoded as UTF-8,
                      bad bytes replaced); CODE instead the first K times
                      for this path (no status: never; K defaults to 1)
  /stats              JSON: requests, not_modified and gzip counts per path;
                      authorization: the list of Authorization headers
                      per /github and /feed path;
                      max_concurrent per "HOST/SEGMENT" and "*/SEGMENT"
                      (most requests in flight at once, by Host header name
                      and first path segment)
  /quit               answers, then exits
Anything else is 404. POST is answered like GET, after its body (at most
testserver.MAX_BODY bytes, by Content-Length) was read.
"""

import email.utils
import gzip
import hashlib
import json
import os
import threading
import time
import urllib.parse
from xml.sax.saxutils import escape

import testserver

# The folder /feed and /latency serve: the project's fixtures, or
# $AIDIGEST_FEEDS_DIR (the fetch benchmark's generated feeds).
FIXTURES = os.environ.get("AIDIGEST_FEEDS_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "fixtures", "feeds")
BIG_SIZE = 50 * 1000 * 1000
PIECE = 64 * 1024

lock = threading.Lock()
requests = {}
not_modified = {}
gzipped = {}
in_flight = {}
authorization = {}
max_concurrent = {}


def count(table, key):
    with lock:
        table[key] = table.get(key, 0) + 1
        return table[key]


def enter(keys):
    with lock:
        for k in keys:
            in_flight[k] = in_flight.get(k, 0) + 1
            max_concurrent[k] = max(max_concurrent.get(k, 0), in_flight[k])


def leave(keys):
    with lock:
        for k in keys:
            in_flight[k] -= 1


def fixture(name):
    """The bytes of a fixture, or None for a name outside the folder."""
    if not name or "/" in name or name.startswith("."):
        return None
    try:
        with open(os.path.join(FIXTURES, name), "rb") as f:
            return f.read()
    except OSError:
        return None


def content_type(name):
    if name.endswith(".json"):
        return "application/feed+json"
    if name.endswith(".html"):
        return "text/html; charset=utf-8"
    return "application/rss+xml"


def http_date(t):
    return email.utils.formatdate(t, usegmt=True)


class Handler(testserver.Handler):
    server_version = "aidigest-test/1"

    def route(self, post_body):
        self.post_body = post_body
        url = urllib.parse.urlsplit(self.path)
        self.query = dict(urllib.parse.parse_qsl(url.query))
        path = url.path
        count(requests, path)
        parts = path.strip("/").split("/")
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        keys = [host + "/" + parts[0], "*/" + parts[0]]
        enter(keys)
        try:
            answer = ROUTES.get(parts[0])
            if answer is None:
                self.send(404, b"not found\n")
            else:
                answer(self, path, parts[1:])
        finally:
            leave(keys)

    def arg(self, name, default):
        try:
            return float(self.query.get(name, default))
        except ValueError:
            return float(default)

    def feed(self, path, rest):
        with lock:
            authorization.setdefault(path, []).append(
                self.headers.get("Authorization"))
        name = "/".join(rest)
        data = fixture(name)
        if data is None:
            return self.send(404, b"no such fixture\n")
        mtime = int(os.stat(os.path.join(FIXTURES, name)).st_mtime)
        self.conditional(path, data, content_type(name), mtime)

    def conditional(self, path, data, ctype, mtime):
        """data with an ETag and a Last-Modified of mtime, or a 304 when
        the request's validators match them."""
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        fresh = False
        if inm is not None:
            tags = [t.strip() for t in inm.split(",")]
            fresh = etag in tags or "*" in tags
        elif ims is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
                fresh = since >= mtime
            except (TypeError, ValueError):
                fresh = False
        validators = [("ETag", etag), ("Last-Modified", http_date(mtime))]
        if fresh:
            count(not_modified, path)
            self.send_response(304)
            for k, v in validators:
                self.send_header(k, v)
            self.end_headers()
            return
        self.send(200, data, ctype, validators)

    def generated(self, path, rest):
        tag = "/".join(rest) or "feed"
        n = min(int(self.arg("items", 10)), 100000)
        title = self.query.get("title", "Item")
        pad = int(self.arg("pad", 0))
        out = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">'
               "<channel><title>generated %s</title>"
               "<link>http://example.test/</link>" % escape(tag)]
        for i in range(1, n + 1):
            # distinct syllables from U+AC00 on, so that no two texts match
            text = "".join(chr(0xAC00 + (i * 7 + k) % 11172)
                           for k in range(pad))
            out.append("<item><title>%s %d</title>"
                       "<link>http://example.test/%s/%d</link>"
                       "<guid>urn:generated:%s:%d</guid>"
                       "<pubDate>Mon, 01 Jan 2024 %02d:%02d:00 GMT</pubDate>"
                       "<description>%s</description></item>"
                       % (escape(title), i, escape(tag), i, escape(tag), i,
                          i // 60 % 24, i % 60, text))
        out.append("</channel></rss>\n")
        self.conditional(path, "".join(out).encode(), "application/rss+xml",
                         1704067200)

    def github(self, path, rest):
        with lock:
            authorization.setdefault(path, []).append(
                self.headers.get("Authorization"))
        name = "/".join(rest) or "repo"
        repo = {"full_name": "example/" + name,
                "description": "a repository served to " + name,
                "html_url": "https://github.com/example/" + name,
                "owner": {"login": "example"},
                "created_at": "2024-01-01T00:00:00Z",
                "stargazers_count": 1}
        body = json.dumps({"total_count": 1, "incomplete_results": False,
                           "items": [repo]})
        self.send(200, body.encode(), "application/json")

    def gzipped_feed(self, path, rest):
        data = fixture("/".join(rest))
        if data is None:
            return self.send(404, b"no such fixture\n")
        accept = self.headers.get("Accept-Encoding") or ""
        if "gzip" not in [a.split(";")[0].strip() for a in accept.split(",")]:
            return self.send(200, data, "application/rss+xml")
        count(gzipped, path)
        self.send(200, gzip.compress(data), "application/rss+xml",
                  [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")])

    def redirect_to(self, location):
        self.send(302, b"moved\n", headers=[("Location", location)])

    def redirect(self, path, rest):
        try:
            n = int(rest[0])
        except (IndexError, ValueError):
            return self.send(404, b"bad redirect count\n")
        name = rest[1] if len(rest) > 1 else "rss20.xml"
        if n <= 1:
            return self.redirect_to("/feed/" + name)
        self.redirect_to("/redirect/%d/%s" % (n - 1, name))

    def redirect_any(self, path, rest):
        self.redirect_to(self.query.get("url", "/feed/rss20.xml"))

    def loop(self, path, rest):
        self.redirect_to("/loop")

    def status(self, path, rest):
        try:
            code = int(rest[0])
        except (IndexError, ValueError):
            return self.send(404, b"bad status\n")
        times = self.arg("times", 1 if code in (408, 429, 503) else 1e18)
        if requests.get(path, 0) > times:
            return self.send(200, fixture("rss20.xml"), "application/rss+xml")
        headers = []
        if "retry_after_ms" in self.query:
            headers.append(("retry-after-ms", self.query["retry_after_ms"]))
        if "retry_after" in self.query:
            headers.append(("Retry-After", self.query["retry_after"]))
        elif "retry_after_date" in self.query:
            ahead = self.arg("retry_after_date", 1)
            headers.append(("Retry-After", http_date(time.time() + ahead)))
        self.send(code, b"status %d\n" % code, headers=headers)

    def slow(self, path, rest):
        time.sleep(self.arg("seconds", 10))
        self.send(200, fixture("rss20.xml"), "application/rss+xml")

    def latency(self, path, rest):
        time.sleep(self.arg("ms", 200) / 1000.0)
        self.feed(path, rest)

    def truncated(self, path, rest):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", "1000")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(fixture("rss20.xml")[:300])
        self.wfile.flush()
        self.close_connection = True

    def big(self, path, rest):
        chunked = self.query.get("chunked") == "1"
        piece = b"<!-- " + b"x" * (PIECE - 9) + b" -->\n"
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(BIG_SIZE))
        self.end_headers()
        left = BIG_SIZE
        while left > 0:
            part = piece[:min(left, len(piece))]
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            else:
                self.wfile.write(part)
            left -= len(part)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def html(self, path, rest):
        self.send(200, fixture("not-feed.html"), "text/html; charset=utf-8")

    def invalid_utf8(self, path, rest):
        body = (b'<?xml version="1.0" encoding="utf-8"?>\n'
                b'<rss version="2.0"><channel><title>bad \xff\xfe \xc3\x28'
                b' bytes</title><item><title>x\xc0\xafy</title></item>'
                b'</channel></rss>\n')
        self.send(200, body, "application/rss+xml")

    def echo(self, path, rest):
        self.send(200, str(self.headers).encode("utf-8", "replace"))

    def echo_post(self, path, rest):
        if "status" in self.query:
            code = int(self.arg("status", 500))
            if requests.get(path, 0) <= self.arg("times", 1):
                return self.send(code, b"status %d\n" % code)
        body = self.post_body
        text = json.dumps({
            "method": self.command,
            "body": None if body is None else body.decode("utf-8",
                                                          "replace"),
            "length": None if body is None else len(body),
            "headers": {k: v for k, v in self.headers.items()},
        })
        self.send(200, text.encode(), "application/json")

    def stats(self, path, rest):
        with lock:
            body = json.dumps({"requests": requests,
                               "not_modified": not_modified,
                               "gzip": gzipped,
                               "authorization": authorization,
                               "max_concurrent": max_concurrent})
        self.send(200, body.encode(), "application/json")

    def quit(self, path, rest):
        self.send(200, b"bye\n")
        self.shut_down_after_reply()


ROUTES = {
    "feed": Handler.feed,
    "gzip": Handler.gzipped_feed,
    "redirect": Handler.redirect,
    "redirect-to": Handler.redirect_any,
    "loop": Handler.loop,
    "status": Handler.status,
    "slow": Handler.slow,
    "latency": Handler.latency,
    "truncated": Handler.truncated,
    "big": Handler.big,
    "generated": Handler.generated,
    "github": Handler.github,
    "html": Handler.html,
    "invalid-utf8": Handler.invalid_utf8,
    "echo": Handler.echo,
    "echo-post": Handler.echo_post,
    "stats": Handler.stats,
    "quit": Handler.quit,
}


if __name__ == "__main__":
    testserver.serve(Handler, queue_size=128)
