"""What the loopback test servers share (standard library only).

tests/http_server.py and tests/llm_server.py each define a Handler on top
of the one here and call serve(Handler, queue_size). Their life, for the
tests that start them (tests/cli_*.sh, tests/server_child.c, bench/*.sh):

  python3 tests/NAME_server.py [PORT_FILE]

binds 127.0.0.1 on a port the OS picks, prints the port as the first line
of stdout (and writes it to PORT_FILE when given, whole or not at all), and
serves until it is killed, until its /quit route, or until its stdin
closes: the test keeps a pipe to it, so the server never outlives the test,
even one that crashed. By hand, keep stdin open:
`sleep 1d | python3 tests/NAME_server.py`.
"""

import http.server
import os
import socketserver
import sys
import threading

MAX_BODY = 16 * 1000 * 1000


class Handler(http.server.BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive, no logging. GET and POST go to the
    subclass's route(body), body None for a GET; a POST's body is read
    first, by Content-Length, at most max_body bytes; refuse_body(code)
    answers one without a length (411) or over it (413)."""

    protocol_version = "HTTP/1.1"
    max_body = MAX_BODY

    def log_message(self, format, *args):
        pass

    def route(self, body):
        raise NotImplementedError

    def refuse_body(self, code):
        self.send(code, b"bad length\n")

    def send(self, code, body=b"", ctype="text/plain", headers=()):
        """A whole answer: status, Content-Type, Content-Length, headers
        (pairs), then the body (none to a HEAD)."""
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        self.route_guarded(None)

    def do_POST(self):
        try:
            length = int(self.headers.get("Content-Length") or "")
        except ValueError:
            length = -1
        if length < 0 or length > self.max_body:
            self.close_connection = True
            return self.refuse_body(411 if length < 0 else 413)
        self.route_guarded(self.rfile.read(length))

    def route_guarded(self, body):
        # A client that hangs up mid-answer ends this connection only.
        try:
            self.route(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def shut_down_after_reply(self):
        """Exit the server once what was sent is flushed (the /quit route)."""
        self.wfile.flush()
        threading.Thread(target=self.server.shutdown, daemon=True).start()


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A client that went away (a timeout) is normal here; anything
        # else is shown.
        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def exit_when_stdin_closes():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except OSError:
        pass
    os._exit(0)


def write_port(path, port):
    """PORT_FILE appears whole: written aside, then renamed."""
    with open(path + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.replace(path + ".tmp", path)


def serve(handler, queue_size):
    """Bind, tell the port (argv[1] the port file, if any), serve until
    /quit, an interrupt or the end of stdin; never returns."""
    server = Server(("127.0.0.1", 0), handler, bind_and_activate=False)
    server.request_queue_size = queue_size
    server.server_bind()
    server.server_activate()
    port = server.server_address[1]
    if len(sys.argv) > 1:
        write_port(sys.argv[1], port)
    sys.stdout.write("%d\n" % port)
    sys.stdout.flush()
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    os._exit(0)
