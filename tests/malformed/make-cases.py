#!/usr/bin/env python3
"""Writes the malformed-request corpus: tests/malformed/cases/<category>/<NNN>-<slug>.case.

Run from anywhere: python3 tests/malformed/make-cases.py. Deterministic: the
same files every run (the cases are committed; this script is how they were
made and how to add one). The format is in tests/malformed/README.md.
"""
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cases")

H = b"Host: 127.0.0.1\r\n"
JSON_CT = b"Content-Type: application/json\r\n"
TASKS = b"/api/users/${USER_ID}/tasks"
AUTH = b"Authorization: Bearer ${VALID_TOKEN}\r\n"

cases = {}  # category -> list of (slug, meta, bytes)


def add(category, slug, about, raw, expect="4xx", connection="any", send=None, **extra):
    meta = [("about", about), ("expect", expect), ("connection", connection)]
    if send:
        meta.append(("send", send))
    for k in ("claims", "jose", "sign"):
        if k in extra:
            meta.append((k, extra[k]))
    cases.setdefault(category, []).append((slug, meta, raw))


def req(method, target, headers=b"", body=b"", version=b"HTTP/1.1", host=True, length=True):
    """A request; Content-Length from the body unless length is False."""
    head = method + b" " + target + b" " + version + b"\r\n"
    if host:
        head += H
    head += headers
    if body and length:
        head += b"Content-Length: %d\r\n" % len(body)
    return head + b"\r\n" + body


def post_json(path, body, headers=b""):
    return req(b"POST", path, JSON_CT + headers, body)


# ---------------------------------------------------------------- request line
RL = "request-line"
# A request line without a space: libmicrohttpd 0.9.75 closes the connection
# without an answer (reference/README.md, Known limits).
add(RL, "no-target", "a request line with a method only", b"GET\r\n" + H + b"\r\n", "close", "close")
add(RL, "no-target-no-version", "a method and a space", b"GET \r\n" + H + b"\r\n", "400", "close")
add(RL, "http09", "an HTTP/0.9 request line (no version)", b"GET /health\r\n\r\n", "400", "close")
add(RL, "empty-method", "a request line starting with a space", b" /health HTTP/1.1\r\n" + H + b"\r\n",
    "close", "close")
add(RL, "lowercase-method", "a method in lower case (methods are case-sensitive)", req(b"get", b"/health"))
add(RL, "unknown-method", "a method authref does not know", req(b"FROB", b"/health"))
add(RL, "method-with-parens", "a method that is not a token", req(b"G(T", b"/health"))
add(RL, "method-with-nul", "a NUL byte inside the method", req(b"G\x00T", b"/health"))
add(RL, "method-8k", "a method of 8000 bytes", req(b"G" * 8000, b"/health"))
add(RL, "method-high-bytes", "a method of bytes over 0x7f", req(b"\xc7\xc5\xd4", b"/health"))
add(RL, "target-no-slash", "a target that is neither origin-form nor absolute-form", req(b"GET", b"health"))
add(RL, "target-asterisk-get", "the asterisk-form with GET", req(b"GET", b"*"))
add(RL, "target-asterisk-options", "the asterisk-form with OPTIONS", req(b"OPTIONS", b"*"))
add(RL, "target-control-char", "a control character in the target", req(b"GET", b"/hea\x01lth"))
add(RL, "target-del-char", "DEL in the target", req(b"GET", b"/hea\x7flth"))
add(RL, "target-high-bytes", "raw bytes over 0x7f in the target", req(b"GET", b"/h\xffe\xfe"))
add(RL, "target-nul", "a raw NUL byte in the path", req(b"GET", b"/hea\x00lth"), "400", "close")
add(RL, "target-nul-then-query", "a raw NUL byte, then a query", req(b"GET", b"/health\x00?a=b"), "400", "close")
add(RL, "target-8200", "a target over the 8 KiB cap", req(b"GET", b"/health?" + b"a" * 8200), "414")
add(RL, "target-30000", "a request line near the connection's memory",
    req(b"GET", b"/" + b"a" * 30000), "414", "close")
add(RL, "target-40000", "a request line over the connection's memory",
    req(b"GET", b"/" + b"a" * 40000), "414", "close")
add(RL, "space-in-version-position", "two spaces and no version", b"GET /health  \r\n" + H + b"\r\n", "400", "close")
add(RL, "tab-separators", "tabs instead of spaces", b"GET\t/health\tHTTP/1.1\r\n" + H + b"\r\n", "close", "close")
add(RL, "crlf-only-cr", "lines ended by CR alone; the client then closes",
    b"GET /health HTTP/1.1\r" + H.replace(b"\r\n", b"\r") + b"\r", "close", "close", "half-close")
add(RL, "incomplete-line-half-close", "half a request line, then the client closes",
    b"GET /hea", "close", "close", "half-close")
add(RL, "incomplete-headers-half-close", "headers without their empty line, then the client closes",
    b"GET /health HTTP/1.1\r\n" + H, "close", "close", "half-close")
add(RL, "nul-only", "NUL bytes instead of a request (read as empty lines), then the client closes",
    b"\x00" * 64 + b"\r\n\r\n", "close", "close", "half-close")
add(RL, "binary-garbage", "TLS ClientHello bytes on the plain-HTTP port",
    bytes.fromhex("16030100a5010000a10303") + bytes(range(32)) + b"\r\n\r\n", "close", "close")
add(RL, "json-as-request", "a JSON document instead of a request line", b'{"email":"a@b.c"}\r\n\r\n', "close", "close")

# ---------------------------------------------------------------- versions
V = "version"
for slug, ver, exp in [("http20", b"HTTP/2.0", "505"), ("http30", b"HTTP/3.0", "505"),
                       ("http09", b"HTTP/0.9", "505"), ("http91", b"HTTP/9.1", "505"),
                       ("lowercase", b"http/1.1", "400"), ("one-digit", b"HTTP/1", "400"),
                       ("three-digits", b"HTTP/1.10", "400"), ("major-two-digits", b"HTTP/11.1", "400"),
                       ("letters", b"HTTP/a.b", "400"), ("no-slash", b"HTTP1.1", "400"),
                       ("other-protocol", b"HTTPS/1.1", "400"), ("rtsp", b"RTSP/1.0", "400"),
                       ("trailing-nul", b"HTTP/1.1\x00", "400"), ("version-and-more", b"HTTP/1.1 x", "400")]:
    add(V, slug, "request version %r" % ver.decode("latin-1"), req(b"GET", b"/health", version=ver), exp, "close")
add(V, "prism", "the HTTP/2 connection preface on an HTTP/1.1 port",
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "505", "close")

# ---------------------------------------------------------------- header fields
HD = "headers"
add(HD, "no-colon", "a field line without a colon", req(b"GET", b"/health", b"Bogus\r\n"), "400", "close")
add(HD, "empty-name", "a field line with an empty name", req(b"GET", b"/health", b": value\r\n"), "400", "close")
add(HD, "space-in-name", "a space inside a field name", req(b"GET", b"/health", b"X Y: z\r\n"), "400", "close")
add(HD, "paren-in-name", "a field name that is not a token", req(b"GET", b"/health", b"X(Y): z\r\n"), "400", "close")
add(HD, "high-byte-in-name", "a byte over 0x7f in a field name", req(b"GET", b"/health", b"X-\xff: 1\r\n"), "400", "close")
add(HD, "nul-in-name", "a NUL byte in a field name", req(b"GET", b"/health", b"X-\x00A: 1\r\n"), "400", "close")
add(HD, "nul-in-value", "a NUL byte inside a field value", req(b"GET", b"/health", b"X-A: a\x00b\r\n"), "400", "close")
add(HD, "nul-nul-in-value", "two NUL bytes inside a field value (the first field)",
    b"GET /health HTTP/1.1\r\nX-A: a\x00\x00b\r\n" + H + b"\r\n", "400", "close")
add(HD, "nul-in-last-value", "NUL bytes inside the last field's value",
    req(b"GET", b"/health", b"X-A: a\x00\x00b\r\n"), "400", "close")
add(HD, "nul-in-auth-value", "a NUL byte cuts the token short",
    req(b"GET", TASKS, b"Authorization: Bearer ${VALID_TOKEN}\x00garbage\r\n"), "400", "close")
add(HD, "nul-in-content-length", "a NUL byte inside Content-Length",
    req(b"POST", b"/api/auth/signin", JSON_CT + b"Content-Length: 2\x0000\r\n", b"{}", length=False), "400", "close")
add(HD, "cr-in-value", "a lone CR inside a field value", req(b"GET", b"/health", b"X-A: a\rb\r\n"), "400", "close")
add(HD, "cr-in-host", "a lone CR inside Host", b"GET /health HTTP/1.1\r\nHost: a\rb\r\n\r\n", "400", "close")
add(HD, "control-in-value", "a control character inside a field value", req(b"GET", b"/health", b"X-A: a\x01b\r\n"), "400", "close")
add(HD, "escape-in-value", "an ESC byte inside a field value", req(b"GET", b"/health", b"X-A: \x1b[31mred\r\n"), "400", "close")
add(HD, "del-in-value", "DEL inside a field value", req(b"GET", b"/health", b"X-A: a\x7fb\r\n"), "400", "close")
add(HD, "space-before-colon", "whitespace between a field name and its colon",
    req(b"GET", b"/health", b"X-A : b\r\n"), "400", "close")
add(HD, "tab-before-colon", "a tab between a field name and its colon", req(b"GET", b"/health", b"X-A\t: b\r\n"), "400", "close")
add(HD, "leading-space-first-field", "the first field line starts with a space (obs-fold of the request line)",
    b"GET /health HTTP/1.1\r\n Host: 127.0.0.1\r\n\r\n", "400", "close")
add(HD, "obs-fold", "an obs-fold continuation line", req(b"GET", b"/health", b"X-A: a\r\n b\r\n"), "400", "close")
add(HD, "obs-fold-tab", "an obs-fold continuation line with a tab", req(b"GET", b"/health", b"X-A: a\r\n\tb\r\n"), "400", "close")
add(HD, "obs-fold-authorization", "an Authorization header folded over two lines",
    req(b"GET", TASKS, b"Authorization: Bearer\r\n ${VALID_TOKEN}\r\n"), "400", "close")
add(HD, "value-20k", "one field value of 20000 bytes (over the 16 KiB header cap)",
    req(b"GET", b"/health", b"X-A: " + b"a" * 20000 + b"\r\n"), "431")
add(HD, "value-40k", "one field value of 40000 bytes (over the connection's memory)",
    req(b"GET", b"/health", b"X-A: " + b"a" * 40000 + b"\r\n"), "431", "close")
add(HD, "value-1m", "one field value of 1 MiB", req(b"GET", b"/health", b"X-A: " + b"a" * 1048576 + b"\r\n"), "431", "close")
add(HD, "many-small-1000", "1000 small fields (libmicrohttpd's records fill the connection's memory)",
    req(b"GET", b"/health", b"".join(b"X-%d: v\r\n" % i for i in range(1000))), "431", "close")
add(HD, "many-small-5000", "5000 small fields",
    req(b"GET", b"/health", b"".join(b"X-%d: v\r\n" % i for i in range(5000))), "431", "close")
add(HD, "many-300-of-60", "300 fields of 60 bytes (over the 16 KiB header cap, under the memory)",
    req(b"GET", b"/health", b"".join(b"X-%03d: %s\r\n" % (i, b"v" * 52) for i in range(300))), "431")
add(HD, "name-20k", "a field name of 20000 bytes", req(b"GET", b"/health", b"X" * 20000 + b": v\r\n"), "431")
add(HD, "content-type-nul", "a NUL byte inside Content-Type",
    post_json(b"/api/auth/signin", b"{}", b"Content-Type: application/json\x00; x\r\n"), "400", "close")
add(HD, "duplicate-content-type", "two Content-Type fields on a body that is no JSON object",
    req(b"POST", b"/api/auth/signup", JSON_CT + b"Content-Type: text/plain\r\n", b"[1]"), "422")
add(HD, "expect-unknown", "Expect with an unknown expectation",
    post_json(b"/api/auth/signin", b"{}", b"Expect: 200-ok\r\n"))
add(HD, "only-empty-line-ends", "field lines ended by bare LF, body not JSON",
    b"POST /api/auth/signin HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\nContent-Length: 1\n\nx", "422")

# ---------------------------------------------------------------- Host
HO = "host"
add(HO, "missing", "HTTP/1.1 without Host", req(b"GET", b"/health", host=False), "400", "close")
add(HO, "two-equal", "two Host fields with the same value", req(b"GET", b"/health", H), "400", "close")
add(HO, "two-different", "two Host fields", req(b"GET", b"/health", b"Host: evil.example\r\n"), "400", "close")
add(HO, "two-one-empty", "an empty Host and another", req(b"GET", b"/health", b"Host:\r\n"), "400", "close")
add(HO, "space-inside", "a space inside Host", req(b"GET", b"/health", b"Host: a b\r\n", host=False), "400", "close")
add(HO, "userinfo", "userinfo in Host", req(b"GET", b"/health", b"Host: user@127.0.0.1\r\n", host=False), "400", "close")
add(HO, "slash", "a path in Host", req(b"GET", b"/health", b"Host: 127.0.0.1/x\r\n", host=False), "400", "close")
add(HO, "quote", "a quote in Host", req(b"GET", b"/health", b'Host: "127.0.0.1"\r\n', host=False), "400", "close")
add(HO, "high-bytes", "bytes over 0x7f in Host", req(b"GET", b"/health", b"Host: \xe4\xf6\r\n", host=False), "400", "close")
add(HO, "folded", "Host folded over two lines", req(b"GET", b"/health", b"Host:\r\n 127.0.0.1\r\n", host=False), "400", "close")
add(HO, "lowercase-duplicate", "host and HOST", req(b"GET", b"/health", b"host: a\r\nHOST: b\r\n", host=False), "400", "close")

# ---------------------------------------------------------------- framing
FR = "framing"
SIGNIN = b"/api/auth/signin"
SMUGGLED = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
def framed(headers, body=b""):
    return b"POST /api/auth/signin HTTP/1.1\r\n" + H + JSON_CT + headers + b"\r\n" + body
add(FR, "cl-and-te", "Content-Length and Transfer-Encoding: chunked",
    framed(b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n" + SMUGGLED), "400", "close")
add(FR, "te-and-cl", "Transfer-Encoding: chunked, then Content-Length",
    framed(b"Transfer-Encoding: chunked\r\nContent-Length: 0\r\n", b"0\r\n\r\n" + SMUGGLED), "400", "close")
add(FR, "te-and-cl-zero-smuggle", "CL.TE smuggling: a chunked body hides a second request",
    framed(b"Content-Length: 44\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n" + SMUGGLED), "400", "close")
add(FR, "two-cl-different", "two Content-Length fields with different values",
    framed(b"Content-Length: 0\r\nContent-Length: %d\r\n" % len(SMUGGLED), SMUGGLED), "400", "close")
add(FR, "two-cl-list", "Content-Length: 5, 5 (a list)", framed(b"Content-Length: 5, 5\r\n", b"hello"), "400", "close")
add(FR, "cl-space-colon", "Content-Length : N (space before the colon)",
    framed(b"Content-Length : %d\r\n" % len(SMUGGLED), SMUGGLED), "400", "close")
add(FR, "cl-tab-colon", "Content-Length<TAB>: N", framed(b"Content-Length\t: %d\r\n" % len(SMUGGLED), SMUGGLED), "400", "close")
add(FR, "cl-plus", "Content-Length: +5", framed(b"Content-Length: +5\r\n", b"hello"), "400", "close")
add(FR, "cl-negative", "Content-Length: -1", framed(b"Content-Length: -1\r\n", b"x"), "400", "close")
add(FR, "cl-hex", "Content-Length: 0x10", framed(b"Content-Length: 0x10\r\n", b"0123456789abcdef"), "400", "close")
add(FR, "cl-letters", "Content-Length: abc", framed(b"Content-Length: abc\r\n"), "400", "close")
add(FR, "cl-empty", "an empty Content-Length", framed(b"Content-Length:\r\n"), "400", "close")
add(FR, "cl-inner-space", "Content-Length: 1 0", framed(b"Content-Length: 1 0\r\n", b"0123456789"), "400", "close")
add(FR, "cl-decimal-point", "Content-Length: 5.0", framed(b"Content-Length: 5.0\r\n", b"hello"), "400", "close")
add(FR, "cl-overflow", "a Content-Length over 2^64", framed(b"Content-Length: 99999999999999999999999\r\n"), "4xx", "close")
add(FR, "cl-huge", "a Content-Length of 2^63 - 1 (over --max-body: 413 before any byte)",
    framed(b"Content-Length: 9223372036854775807\r\n"), "413", "close")
add(FR, "cl-folded", "Content-Length folded over two lines", framed(b"Content-Length:\r\n 5\r\n", b"hello"), "400", "close")
add(FR, "te-twice", "Transfer-Encoding twice", framed(b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n"), "400", "close")
add(FR, "te-list-chunked-twice", "Transfer-Encoding: chunked, chunked", framed(b"Transfer-Encoding: chunked, chunked\r\n", b"0\r\n\r\n"), "400", "close")
add(FR, "te-gzip-chunked", "Transfer-Encoding: gzip, chunked", framed(b"Transfer-Encoding: gzip, chunked\r\n", b"0\r\n\r\n"), "400", "close")
add(FR, "te-chunked-gzip", "Transfer-Encoding: chunked, gzip (chunked not last)", framed(b"Transfer-Encoding: chunked, gzip\r\n", b"0\r\n\r\n"), "400", "close")
add(FR, "te-gzip", "Transfer-Encoding: gzip", framed(b"Transfer-Encoding: gzip\r\n", b"x"), "400", "close")
add(FR, "te-identity", "Transfer-Encoding: identity", framed(b"Transfer-Encoding: identity\r\n", b"{}"), "400", "close")
add(FR, "te-empty", "an empty Transfer-Encoding", framed(b"Transfer-Encoding:\r\n", b"{}"), "400", "close")
add(FR, "te-xchunked", "Transfer-Encoding: xchunked", framed(b"Transfer-Encoding: xchunked\r\n", b"0\r\n\r\n"), "400", "close")
add(FR, "te-chunked-param", "Transfer-Encoding: chunked;q=1", framed(b"Transfer-Encoding: chunked;q=1\r\n", b"0\r\n\r\n"), "400", "close")
add(FR, "te-folded", "Transfer-Encoding folded (the value on the next line)",
    framed(b"Transfer-Encoding:\r\n chunked\r\n", b"0\r\n\r\n"), "400", "close")
add(FR, "te-folded-value", "a second Transfer-Encoding value on a folded line",
    framed(b"Transfer-Encoding: chunked\r\n\tgzip\r\n", b"0\r\n\r\n"), "400", "close")
add(FR, "te-space-colon", "Transfer-Encoding : chunked", framed(b"Transfer-Encoding : chunked\r\n", b"0\r\n\r\n"), "400", "close")
add(FR, "te-nul", "Transfer-Encoding: chunked<NUL>x", framed(b"Transfer-Encoding: chunked\x00x\r\n", b"0\r\n\r\n"), "400", "close")
add(FR, "te-vertical-tab", "Transfer-Encoding:<VT>chunked", framed(b"Transfer-Encoding:\x0bchunked\r\n", b"0\r\n\r\n"), "400", "close")
add(FR, "te-http10", "Transfer-Encoding: chunked in HTTP/1.0",
    b"POST /api/auth/signin HTTP/1.0\r\n" + JSON_CT + b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", "400", "close")
add(FR, "get-with-te-then-smuggle", "a GET with a chunked body that is itself a request",
    b"GET /health HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n" + SMUGGLED, "400", "close")

# ---------------------------------------------------------------- chunked bodies
CH = "chunked"
def chunked(body):
    return b"POST /api/auth/signin HTTP/1.1\r\n" + H + JSON_CT + b"Transfer-Encoding: chunked\r\n\r\n" + body
add(CH, "size-letters", "a chunk size that is not hexadecimal", chunked(b"zz\r\nhello\r\n0\r\n\r\n"), "400", "close")
add(CH, "size-negative", "a negative chunk size", chunked(b"-1\r\nx\r\n0\r\n\r\n"), "400", "close")
add(CH, "size-0x", "a chunk size with 0x", chunked(b"0x5\r\nhello\r\n0\r\n\r\n"), "400", "close")
add(CH, "size-leading-space", "a space before the chunk size", chunked(b" 5\r\nhello\r\n0\r\n\r\n"), "400", "close")
add(CH, "size-trailing-space", "a space after the chunk size", chunked(b"5 \r\nhello\r\n0\r\n\r\n"), "400", "close")
add(CH, "size-empty", "an empty chunk-size line", chunked(b"\r\nhello\r\n0\r\n\r\n"), "400", "close")
add(CH, "size-overflow", "a chunk size over 2^64", chunked(b"fffffffffffffffffffff\r\nx\r\n0\r\n\r\n"), "413", "close")
add(CH, "size-huge", "a chunk size of 2^60 (over --max-body)", chunked(b"1000000000000000\r\n" + b"a" * 70000), "413", "close")
add(CH, "data-longer-than-size", "chunk data longer than its size", chunked(b"3\r\nhello\r\n0\r\n\r\n"), "400", "close")
add(CH, "data-shorter-then-close", "chunk data shorter than its size, then the client closes",
    chunked(b"10\r\nhel"), "close", "close", "half-close")
add(CH, "missing-last-chunk-close", "no last chunk, then the client closes", chunked(b"2\r\n{}\r\n"), "close", "close", "half-close")
add(CH, "no-crlf-after-data", "chunk data not followed by CRLF", chunked(b"2\r\n{}XX0\r\n\r\n"), "400", "close")
add(CH, "valid-extension-not-json", "a chunk extension; the body is no JSON", chunked(b"1;ext=1\r\nx\r\n0\r\n\r\n"), "422")
add(CH, "valid-trailer-not-json", "a trailer field after the last chunk; the body is no JSON",
    chunked(b"1\r\nx\r\n0\r\nX-Trailer: 1\r\n\r\n"), "422")
add(CH, "trailer-without-colon", "a trailer line without a colon", chunked(b"1\r\nx\r\n0\r\nbogus\r\n\r\n"), "400", "close")
add(CH, "empty-body-chunked", "a chunked body of no bytes", chunked(b"0\r\n\r\n"), "422")
add(CH, "many-tiny-chunks", "3000 chunks of one byte (not JSON)", chunked(b"1\r\nx\r\n" * 3000 + b"0\r\n\r\n"), "422")
add(CH, "over-max-body", "a chunked body of 1 MiB, over --max-body: 413 as soon as the limit is passed",
    chunked(b"".join(b"1000\r\n" + b"a" * 4096 + b"\r\n" for _ in range(256)) + b"0\r\n\r\n"), "413", "close")
add(CH, "over-max-body-no-end", "a chunked body over --max-body without its last chunk (the client waits)",
    chunked(b"".join(b"1000\r\n" + b"a" * 4096 + b"\r\n" for _ in range(40))), "413", "close")
add(CH, "over-max-body-just", "a chunked body one byte over --max-body, then the last chunk",
    chunked(b"10001\r\n" + b"a" * 65537 + b"\r\n0\r\n\r\n"), "413", "close")
add(CH, "endless", "an endless chunked body", chunked(b""), "413", "close", "endless-chunked")

# ---------------------------------------------------------------- body sizes and pace
BO = "body"
add(BO, "declared-1m-sent", "a declared and sent 1 MiB body: 413, read by the client, no reset",
    post_json(b"/api/auth/signup", b"a" * 1048576), "413", "close")
add(BO, "declared-1m-paced", "a declared 1 MiB body sent 64 KiB every 10 ms: 413, and no reset while it is sent",
    post_json(b"/api/auth/signup", b"a" * 1048576), "413", "close", "trickle 10 65536")
add(BO, "declared-256k-sent-signin", "a declared and sent 256 KiB body on signin",
    post_json(b"/api/auth/signin", b"a" * 262144), "413", "close")
add(BO, "declared-256k-tasks", "the same on a protected route with a valid token",
    post_json(TASKS, b"a" * 262144, AUTH), "413", "close")
add(BO, "declared-over-not-sent", "a declared 10 MB body, nothing sent", post_json(b"/api/auth/signup", b"")[:-2] +
    b"Content-Length: 10000000\r\n\r\n", "413", "close")
add(BO, "declared-over-expect-100", "a declared 1 MB body with Expect: 100-continue",
    req(b"POST", b"/api/auth/signup", JSON_CT + b"Expect: 100-continue\r\nContent-Length: 1000000\r\n"), "413", "close")
add(BO, "endless-declared", "an endless body under a declared length of 1 GB", post_json(b"/api/auth/signup", b"")[:-2] +
    b"Content-Length: 1000000000\r\n\r\n", "413", "close", "endless-bytes")
add(BO, "short-then-close", "a body shorter than its Content-Length, then the client closes",
    req(b"POST", b"/api/auth/signin", JSON_CT + b"Content-Length: 50\r\n", b'{"email":', length=False),
    "close", "close", "half-close")
add(BO, "slow-body", "a body sent one byte every 20 ms (no JSON object)",
    post_json(b"/api/auth/signin", b'["slow", 1]'), "422", "open", "trickle 10")
add(BO, "slow-headers", "headers sent one byte every 5 ms, body not JSON",
    post_json(b"/api/auth/signin", b"nope"), "422", "open", "trickle 5")
add(BO, "body-on-get-then-garbage", "a GET body followed by a line that is no request (closed unanswered)",
    req(b"GET", b"/health", b"Content-Length: 2\r\n", b"{}", length=False) + b"garbage\r\n\r\n", "200", "close")
add(BO, "body-on-get-then-bad-version", "a GET body followed by a request of HTTP/9.9",
    req(b"GET", b"/health", b"Content-Length: 2\r\n", b"{}", length=False) + b"GET / HTTP/9.9\r\n\r\n", "200,505", "close")
add(BO, "longer-than-declared", "more body bytes than declared: the rest is no request",
    req(b"POST", b"/api/auth/signin", JSON_CT + b"Content-Length: 2\r\n", b"{}xxxx\r\n\r\n", length=False), "422", "close")

# ---------------------------------------------------------------- JSON bodies
JS = "json"
ROUTES = [("signup", b"/api/auth/signup", b""), ("signin", b"/api/auth/signin", b""),
          ("tasks", TASKS, AUTH)]
generic = [
    ("deep-array-17", "arrays nested 17 deep", b"[" * 17 + b"]" * 17),
    ("deep-array-10000", "arrays nested 10000 deep", b"[" * 10000 + b"]" * 10000),
    ("deep-object-100", "objects nested 100 deep", b'{"a":' * 100 + b"1" + b"}" * 100),
    ("deep-unclosed", "20000 open brackets, never closed", b"[" * 20000),
    ("huge-number", "a number of 400 digits", b'{"email":' + b"9" * 400 + b"}"),
    ("huge-exponent", "1e999999", b'{"email":1e999999}'),
    ("nan", "NaN (not JSON)", b'{"email":NaN}'),
    ("infinity", "Infinity (not JSON)", b'{"email":Infinity}'),
    ("invalid-utf8", "a string with an invalid UTF-8 byte", b'{"email":"a\xffb@example.com","password":"password123"}'),
    ("overlong-utf8", "an overlong UTF-8 encoding of '/'", b'{"email":"a\xc0\xafb@example.com","password":"password123"}'),
    ("surrogate-utf8", "a UTF-8 encoded surrogate", b'{"email":"a\xed\xa0\x80@example.com","password":"password123"}'),
    ("truncated-utf8", "a UTF-8 sequence cut short", b'{"email":"a\xe2\x82","password":"password123"}'),
    ("lone-surrogate-escape", "a lone surrogate escape", b'{"email":"a\\ud800@example.com","password":"password123"}'),
    ("raw-nul", "a raw NUL byte in a string", b'{"email":"a\x00b@example.com","password":"password123"}'),
    ("escaped-nul", "\\u0000 in a string", b'{"email":"a\\u0000b@example.com","password":"password123"}'),
    ("nul-in-key", "\\u0000 in a key", b'{"em\\u0000ail":"a@example.com","password":"password123"}'),
    ("duplicate-keys", "a key twice", b'{"email":"a@example.com","email":"b@example.com","password":"password123"}'),
    ("top-array", "an array instead of an object", b'["a@example.com","password123"]'),
    ("top-string", "a string instead of an object", b'"a@example.com"'),
    ("top-number", "a number instead of an object", b"42"),
    ("top-null", "null", b"null"),
    ("top-true", "true", b"true"),
    ("whitespace-only", "only whitespace", b"   \r\n\t "),
    ("trailing-garbage", "an object followed by garbage", b'{"email":"a@example.com","password":"password123"}x'),
    ("two-objects", "two objects", b"{}{}"),
    ("bom", "a UTF-8 byte order mark before the object", b'\xef\xbb\xbf{"email":"a@example.com","password":"password123"}'),
    ("comment", "a comment", b'{/* c */"email":"a@example.com"}'),
    ("single-quotes", "single quotes", b"{'email':'a@example.com'}"),
    ("unquoted-key", "an unquoted key", b'{email:"a@example.com"}'),
    ("trailing-comma", "a trailing comma", b'{"email":"a@example.com",}'),
    ("unterminated-string", "a string without its closing quote", b'{"email":"a@example.com'),
    ("control-in-string", "a raw control character in a string", b'{"email":"a\x01@example.com","password":"password123"}'),
    ("bad-escape", "an unknown escape", b'{"email":"a\\x41@example.com","password":"password123"}'),
    ("utf16", "the body in UTF-16", '{"email":"a@example.com"}'.encode("utf-16")),
]
for rname, path, extra in ROUTES:
    for slug, about, body in generic:
        add(JS, "%s-%s" % (rname, slug), "%s: %s" % (rname, about), post_json(path, body, extra), "422", "open")
    add(JS, "%s-no-content-type" % rname, "%s: no Content-Type" % rname,
        req(b"POST", path, extra, b'{"email":"a@example.com","password":"password123","title":"t"}'), "422", "open")
    add(JS, "%s-text-plain" % rname, "%s: Content-Type text/plain" % rname,
        req(b"POST", path, extra + b"Content-Type: text/plain\r\n", b'{"title":"t"}'), "422", "open")
    add(JS, "%s-json-suffix" % rname, "%s: Content-Type application/jsonx" % rname,
        req(b"POST", path, extra + b"Content-Type: application/jsonx\r\n", b'{"title":"t"}'), "422", "open")
    add(JS, "%s-empty-body" % rname, "%s: no body at all" % rname, req(b"POST", path, extra + JSON_CT), "422", "open")

wrong_values = [("int", b"1"), ("float", b"1.5"), ("true", b"true"), ("null", b"null"),
                ("array", b'["a@example.com"]'), ("object", b'{"a":1}'), ("huge-int", b"123456789012345678901234567890")]
for field in ("email", "password", "username"):
    for wname, value in wrong_values:
        if field == "username" and wname == "null":
            continue  # no username is allowed
        fields = {"email": b'"w@example.com"', "password": b'"password123"'}
        fields[field] = value
        body = b"{" + b",".join(b'"%s":%s' % (k.encode(), v) for k, v in fields.items()) + b"}"
        add(JS, "signup-%s-%s" % (field, wname), "signup: %s is %s" % (field, wname),
            post_json(b"/api/auth/signup", body), "422", "open")
for field in ("email", "password"):
    for wname, value in wrong_values[:6]:
        fields = {"email": b'"w@example.com"', "password": b'"password123"'}
        fields[field] = value
        body = b"{" + b",".join(b'"%s":%s' % (k.encode(), v) for k, v in fields.items()) + b"}"
        add(JS, "signin-%s-%s" % (field, wname), "signin: %s is %s" % (field, wname),
            post_json(b"/api/auth/signin", body), "422", "open")
for field in ("title", "description", "completed"):
    for wname, value in wrong_values:
        if field == "completed" and wname == "true":
            value = b'"true"'
            wname = "string"
        if field == "description" and wname == "null":
            continue  # a null description is allowed
        fields = {"title": b'"t"'}
        fields[field] = value
        body = b"{" + b",".join(b'"%s":%s' % (k.encode(), v) for k, v in fields.items()) + b"}"
        add(JS, "tasks-%s-%s" % (field, wname), "tasks: %s is %s" % (field, wname),
            post_json(TASKS, body, AUTH), "422", "open")
add(JS, "signup-email-10k", "signup: an email of 10000 characters",
    post_json(b"/api/auth/signup", b'{"email":"' + b"a" * 10000 + b'@example.com","password":"password123"}'), "422", "open")
add(JS, "signup-password-73", "signup: a password of 73 bytes (bcrypt reads 72)",
    post_json(b"/api/auth/signup", b'{"email":"p73@example.com","password":"' + b"p" * 73 + b'"}'), "422", "open")
add(JS, "signup-password-short", "signup: a password of 7 characters",
    post_json(b"/api/auth/signup", b'{"email":"p7@example.com","password":"1234567"}'), "422", "open")
add(JS, "tasks-title-201", "tasks: a title of 201 characters", post_json(TASKS, b'{"title":"' + b"t" * 201 + b'"}', AUTH), "422", "open")
add(JS, "tasks-title-empty", "tasks: an empty title", post_json(TASKS, b'{"title":""}', AUTH), "422", "open")
add(JS, "tasks-put-no-title", "tasks: PUT without a title",
    req(b"PUT", TASKS + b"/00000000-0000-4000-8000-000000000000", AUTH + JSON_CT, b'{"completed":true}'), "4xx", "open")
add(JS, "tasks-patch-array", "tasks: PATCH with an array",
    req(b"PATCH", TASKS + b"/00000000-0000-4000-8000-000000000000", AUTH + JSON_CT, b"[]"), "4xx", "open")

# ---------------------------------------------------------------- Authorization
AU = "authorization"
def auth_get(value, path=TASKS):
    return req(b"GET", path, b"Authorization: " + value + b"\r\n")
for slug, about, value in [
        ("empty", "an empty Authorization", b""),
        ("scheme-only", "the scheme alone", b"Bearer"),
        ("scheme-space", "the scheme and a space", b"Bearer "),
        ("basic", "Basic credentials", b"Basic dXNlcjpwYXNzd29yZDEyMw=="),
        ("token-scheme", "an unknown scheme with the valid token", b"Token ${VALID_TOKEN}"),
        ("no-scheme", "the valid token without a scheme", b"${VALID_TOKEN}"),
        ("tab-separator", "a tab after the scheme", b"Bearer\t${VALID_TOKEN}"),
        ("two-tokens", "two tokens", b"Bearer ${VALID_TOKEN} ${VALID_TOKEN}"),
        ("comma-list", "two credentials in a list", b"Bearer ${VALID_TOKEN}, Basic x"),
        ("trailing-garbage", "the valid token with a suffix", b"Bearer ${VALID_TOKEN}x"),
        ("one-segment", "one segment", b"Bearer abc"),
        ("two-segments", "two segments", b"Bearer eyJhbGciOiJIUzI1NiJ9.e30"),
        ("four-segments", "four segments", b"Bearer ${VALID_TOKEN}.abc"),
        ("five-segments-jwe", "five segments (a JWE)", b"Bearer a.b.c.d.e"),
        ("empty-segments", "three empty segments", b"Bearer .."),
        ("dots-only", "many dots", b"Bearer " + b"." * 100),
        ("plus-slash", "base64 (not base64url) characters", b"Bearer eyJhbGciOiJIUzI1NiJ9+/.e30+/.abc+/"),
        ("padding", "base64url with padding", b"Bearer eyJhbGciOiJIUzI1NiJ9==.e30=.abc="),
        ("bang", "characters outside base64url", b"Bearer e!J.e30.abc"),
        ("high-bytes", "bytes over 0x7f", b"Bearer \xc3\xa9\xc3\xa9.\xc3\xa9.\xc3\xa9"),
        ("not-json-header", "a header segment that is no JSON", b"Bearer bm90IGpzb24.e30.abc"),
        ("16k", "a token of 16000 bytes", b"Bearer " + b"a" * 16000),
        ("20k", "a token of 20000 bytes (over the header cap)", b"Bearer " + b"a" * 20000),
        ("1m", "a token of 1 MiB", b"Bearer " + b"a.b." * 262144),
        ("valid-then-nul", "a NUL byte after the valid token", b"Bearer ${VALID_TOKEN}\x00"),
]:
    status = "431" if slug in ("20k",) else ("431" if slug == "1m" else ("400" if "nul" in slug else "401"))
    conn = "close" if status == "400" or slug == "1m" else "any"
    add(AU, slug, "Authorization: " + about, auth_get(value), status, conn)
add(AU, "two-headers", "two Authorization fields, the first invalid",
    req(b"GET", TASKS, b"Authorization: Bearer x.y.z\r\nAuthorization: Bearer ${VALID_TOKEN}\r\n"), "401")
add(AU, "cookie-garbage", "no Authorization, a garbage access_token cookie",
    req(b"GET", TASKS, b"Cookie: access_token=x.y.z\r\n"), "401")
add(AU, "cookie-nul", "a NUL byte in the Cookie field",
    req(b"GET", TASKS, b"Cookie: access_token=${VALID_TOKEN}\x00x\r\n"), "400", "close")

NOW_CLAIMS = '{"user_id":"${USER_ID}","exp":${EXP},"iat":${NOW}}'
for alg in ["none", "None", "NONE", "nOnE", "HS384", "HS512", "RS256", "ES256", "PS256", "EdDSA",
            "hs256", "HS256 ", "", "HS2560"]:
    add(AU, "alg-%s" % (alg.strip().replace(" ", "_") or "empty") + ("-space" if alg.endswith(" ") else ""),
        "a token signed with the secret whose header says alg %r" % alg,
        auth_get(b"Bearer ${TOKEN}"), "401", claims=NOW_CLAIMS, jose=json.dumps({"alg": alg, "typ": "JWT"}))
for slug, jose in [("alg-null", '{"alg":null,"typ":"JWT"}'), ("alg-number", '{"alg":256,"typ":"JWT"}'),
                   ("alg-array", '{"alg":["HS256"],"typ":"JWT"}'), ("alg-missing", '{"typ":"JWT"}'),
                   ("crit-exp", '{"alg":"HS256","typ":"JWT","crit":["exp"]}'),
                   ("crit-empty", '{"alg":"HS256","typ":"JWT","crit":[]}'),
                   ("crit-string", '{"alg":"HS256","typ":"JWT","crit":"b64"}'),
                   ("crit-b64", '{"alg":"HS256","typ":"JWT","b64":false,"crit":["b64"]}'),
                   ("alg-twice", '{"alg":"none","alg":"HS256","typ":"JWT"}'),
                   ("header-array", '["HS256"]'), ("header-string", '"HS256"'),
                   ("header-not-json", '{alg:HS256}'), ("header-empty", ''),
                   ("header-utf8", '{"alg":"HS256","typ":"JWT","x":"\udcff"}')]:
    add(AU, slug, "a token signed with the secret, header %s" % jose, auth_get(b"Bearer ${TOKEN}"), "401",
        claims=NOW_CLAIMS, jose=jose)

claim_cases = [
    ("exp-string", '"exp":"${EXP}"'), ("exp-float", '"exp":${EXP}.5'), ("exp-exponent", '"exp":1e10'),
    ("exp-null", '"exp":null'), ("exp-true", '"exp":true'), ("exp-array", '"exp":[${EXP}]'),
    ("exp-object", '"exp":{"v":${EXP}}'), ("exp-missing", None), ("exp-zero", '"exp":0'),
    ("exp-negative", '"exp":-1'), ("exp-past", '"exp":${PAST}'),
    ("exp-int64-min", '"exp":-9223372036854775808'), ("exp-over-int64", '"exp":9223372036854775808'),
    ("exp-huge", '"exp":1' + '0' * 40), ("exp-twice", '"exp":${EXP},"exp":${PAST}'),
    ("iat-string", '"exp":${EXP},"iat":"${NOW}"'), ("iat-float", '"exp":${EXP},"iat":${NOW}.5'),
    ("iat-future", '"exp":${EXP},"iat":${FUTURE}'), ("iat-negative", '"exp":${EXP},"iat":-1'),
    ("iat-int64-max", '"exp":${EXP},"iat":9223372036854775807'), ("iat-over-int64", '"exp":${EXP},"iat":9223372036854775808'),
    ("iat-null", '"exp":${EXP},"iat":null'), ("iat-array", '"exp":${EXP},"iat":[]'),
]
for slug, frag in claim_cases:
    if frag is None:
        claims = '{"user_id":"${USER_ID}","iat":${NOW}}'
    elif frag.startswith('"iat"') or '"iat"' in frag:
        claims = '{"user_id":"${USER_ID}",' + frag + '}'
    else:
        claims = '{"user_id":"${USER_ID}",' + frag + ',"iat":${NOW}}'
    add(AU, "claims-" + slug, "a signed token, claims " + (frag or "without exp"), auth_get(b"Bearer ${TOKEN}"),
        "401", claims=claims)
for slug, value in [("int", "1"), ("null", "null"), ("array", '["${USER_ID}"]'), ("object", '{"id":"${USER_ID}"}'),
                    ("empty", '""'), ("not-uuid", '"abc"'),
                    ("sql", '"\' OR 1=1 --"'), ("long", '"' + "a" * 5000 + '"'), ("nul", '"${USER_ID}\\u0000"'),
                    ("true", "true")]:
    add(AU, "claims-user_id-" + slug, "a signed token whose user_id is " + value[:40], auth_get(b"Bearer ${TOKEN}"),
        "401", claims='{"user_id":' + value + ',"exp":${EXP},"iat":${NOW}}')
add(AU, "claims-user_id-unknown-uuid", "a signed token for an account that does not exist, on its own path",
    auth_get(b"Bearer ${TOKEN}", b"/api/users/00000000-0000-4000-8000-000000000000/tasks"), "401",
    claims='{"user_id":"00000000-0000-4000-8000-000000000000","exp":${EXP},"iat":${NOW}}')
add(AU, "claims-user_id-missing", "a signed token without user_id", auth_get(b"Bearer ${TOKEN}"), "401",
    claims='{"sub":"${USER_ID}","exp":${EXP},"iat":${NOW}}')
add(AU, "claims-user_id-twice", "a signed token with user_id twice", auth_get(b"Bearer ${TOKEN}"), "401",
    claims='{"user_id":"00000000-0000-4000-8000-000000000000","user_id":"${USER_ID}","exp":${EXP},"iat":${NOW}}')
for slug, claims in [("array", '[]'), ("string", '"x"'), ("number", '1'), ("null", 'null'), ("not-json", '{x}'),
                     ("empty", ''), ("invalid-utf8", '{"user_id":"${USER_ID}","exp":${EXP},"x":"\udcff"}')]:
    add(AU, "claims-" + slug, "a signed token whose claims are " + (claims or "empty"), auth_get(b"Bearer ${TOKEN}"),
        "401", claims=claims)
add(AU, "sig-other-secret", "valid claims signed with another secret", auth_get(b"Bearer ${TOKEN}"), "401",
    claims=NOW_CLAIMS, sign="other")
add(AU, "sig-empty", "valid claims with an empty signature", auth_get(b"Bearer ${TOKEN}"), "401",
    claims=NOW_CLAIMS, sign="none")
add(AU, "sig-none-alg", "alg none with an empty signature", auth_get(b"Bearer ${TOKEN}"), "401",
    claims=NOW_CLAIMS, jose='{"alg":"none","typ":"JWT"}', sign="none")

# ---------------------------------------------------------------- paths
PA = "path"
U = b"/api/users/${USER_ID}"
def get_auth(path):
    return req(b"GET", path, AUTH)
for slug, path in [
        ("encoded-dots", b"/api/users/%2e%2e/tasks"), ("encoded-dots-upper", b"/api/users/%2E%2E/tasks"),
        ("dotdot-up", U + b"/../00000000-0000-4000-8000-000000000000/tasks"),
        ("dotdot-task", U + b"/tasks/.."), ("dot-segment", U + b"/./tasks/x"),
        ("encoded-slash", b"/api/users/${USER_ID}%2Ftasks"), ("encoded-slash-lower", U + b"%2ftasks%2f1"),
        ("double-encoded-dots", b"/api/users/%252e%252e/tasks"), ("double-encoded-slash", U + b"%252Ftasks"),
        ("overlong-dot", b"/api/users/%c0%ae%c0%ae/tasks"), ("backslash", b"/api/users\\..\\tasks"),
        ("double-slash", b"/api//users/${USER_ID}/tasks/x"), ("semicolon", U + b"/tasks;x=1/1"),
        ("other-user", b"/api/users/00000000-0000-4000-8000-000000000000/tasks"),
        ("other-user-upper", b"/api/users/${USER_ID_UPPER}/tasks"),
        ("user-id-1000", b"/api/users/" + b"a" * 1000 + b"/tasks"),
        ("user-id-2100", b"/api/users/" + b"a" * 2100 + b"/tasks"),
        ("task-id-1000", U + b"/tasks/" + b"1" * 1000), ("task-id-not-uuid", U + b"/tasks/1"),
        ("task-id-sql", U + b"/tasks/1'%20OR%201=1--"), ("task-id-encoded-nul", U + b"/tasks/%00"),
        ("task-id-unknown", U + b"/tasks/00000000-0000-4000-8000-000000000000"),
        ("deeper", U + b"/tasks/a/b/c"), ("unknown-api", b"/api/admin"), ("fragment", b"/api/users/x#/tasks"),
        ("percent-broken", U + b"/tasks/%zz"), ("unicode-raw", U + b"/tasks/\xe2\x80\xae")]:
    add(PA, slug, "GET %s with a valid token" % path[:60].decode("latin-1"), get_auth(path))
add(PA, "query-4000-amps", "4000 empty query parameters (libmicrohttpd would lose its own answer)",
    req(b"GET", TASKS + b"?" + b"&" * 4000))
add(PA, "query-2100-params", "2100 query parameters, over the 8 KiB target cap",
    req(b"GET", b"/health?" + b"a=b&" * 2100), "414")
add(PA, "query-nul-4000", "a raw NUL in the path and 4000 query parameters",
    req(b"GET", b"/hea\x00lth?" + b"&" * 4000), "400", "close")
add(PA, "query-nul-in-query-4000", "4000 query parameters after a raw NUL in the query",
    req(b"GET", b"/health?a\x00b" + b"&" * 4000), "400", "close")
add(PA, "query-fake-line-end", "a target imitating a line end, then 4000 parameters",
    req(b"GET", b"/health\x00HTTP/1.1\x00?" + b"&" * 4000), "close", "close")
add(PA, "unauthenticated-traversal", "an encoded traversal without a token", req(b"GET", b"/api/users/%2e%2e/%2e%2e/health"), "401")

# ---------------------------------------------------------------- pipelining
PI = "pipelining"
OK = b"GET /health HTTP/1.1\r\n" + H + b"\r\n"
add(PI, "valid-then-no-colon", "a valid request, then one with a field without a colon",
    OK + b"GET /health HTTP/1.1\r\n" + H + b"Bogus\r\n\r\n", "200,400", "close")
add(PI, "valid-then-cl-te", "a valid request, then one with Content-Length and Transfer-Encoding",
    OK + framed(b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n"), "200,400", "close")
add(PI, "cl-te-then-valid", "Content-Length and Transfer-Encoding, then a valid request (never served)",
    framed(b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n") + OK, "400", "close")
add(PI, "space-colon-then-valid", "a request framed by 'Content-Length : 0', then a valid one (never served)",
    framed(b"Content-Length : 0\r\n") + OK, "400", "close")
add(PI, "nul-target-then-valid", "a raw NUL in the target, then a valid request (never served)",
    req(b"GET", b"/a\x00b") + OK, "400", "close")
add(PI, "json-error-then-valid", "invalid JSON, then a valid request: both answered",
    post_json(b"/api/auth/signin", b"{x}") + OK, "422,200", "open")
add(PI, "three-then-version", "three valid requests, then HTTP/2.0",
    OK * 3 + b"GET /health HTTP/2.0\r\n" + H + b"\r\n", "200,200,200,505", "close")
add(PI, "valid-then-half", "a valid request, then half of one, then the client closes",
    OK + b"GET /hea", "200", "close", "half-close")
add(PI, "401-then-version", "a refused token, then a bad version",
    auth_get(b"Bearer x") + b"GET /health HTTP/7.0\r\n" + H + b"\r\n", "401,505", "close")
add(PI, "valid-then-header-cr", "a valid request, then one with a CR in a value",
    OK + req(b"GET", b"/health", b"X: a\rb\r\n"), "200,400", "close")

# ---------------------------------------------------------------- HTTP/1.0
H0 = "http10"
add(H0, "two-hosts", "HTTP/1.0 with two Host fields", b"GET /health HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", "400", "close")
add(H0, "te-chunked", "HTTP/1.0 with Transfer-Encoding: chunked",
    b"POST /api/auth/signin HTTP/1.0\r\n" + JSON_CT + b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "400", "close")
add(H0, "te-and-cl", "HTTP/1.0 with Content-Length and Transfer-Encoding",
    b"POST /api/auth/signin HTTP/1.0\r\n" + JSON_CT + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "400", "close")
add(H0, "post-no-length", "HTTP/1.0 POST without a length (no body)",
    b"POST /api/auth/signin HTTP/1.0\r\n" + JSON_CT + b"\r\n", "422", "close")
add(H0, "json-error", "HTTP/1.0 with invalid JSON", b"POST /api/auth/signin HTTP/1.0\r\n" + JSON_CT + b"Content-Length: 3\r\n\r\n{x}", "422", "close")
add(H0, "keep-alive-json-error", "HTTP/1.0 keep-alive with invalid JSON",
    b"POST /api/auth/signin HTTP/1.0\r\nConnection: keep-alive\r\n" + JSON_CT + b"Content-Length: 3\r\n\r\n{x}", "422")
add(H0, "no-token", "HTTP/1.0 protected read without a token", b"GET /api/users/x/tasks HTTP/1.0\r\n\r\n", "401", "close")
add(H0, "space-colon", "HTTP/1.0 with whitespace before a colon", b"GET /health HTTP/1.0\r\nX-A : b\r\n\r\n", "400", "close")
add(H0, "obs-fold", "HTTP/1.0 with a folded field", b"GET /health HTTP/1.0\r\nX-A: a\r\n b\r\n\r\n", "400", "close")
add(H0, "no-colon", "HTTP/1.0 with a field without a colon", b"GET /health HTTP/1.0\r\nBogus\r\n\r\n", "400", "close")

# ---------------------------------------------------------------- absolute-form and authority-form
AB = "absolute-form"
add(AB, "http-tasks-no-token", "absolute-form protected path without a token",
    req(b"GET", b"http://127.0.0.1/api/users/x/tasks"), "4xx")
add(AB, "http-other-host", "absolute-form naming another host", req(b"GET", b"http://evil.example/api/auth/signin"), "4xx")
add(AB, "https-scheme", "absolute-form with https", req(b"GET", b"https://127.0.0.1/health?x"), "4xx")
add(AB, "no-host-in-uri", "absolute-form without a host", req(b"GET", b"http:///health"), "4xx")
add(AB, "userinfo", "absolute-form with userinfo", req(b"GET", b"http://user:pass@127.0.0.1/health"), "4xx")
add(AB, "connect-authority", "CONNECT with an authority-form target", req(b"CONNECT", b"127.0.0.1:443"), "4xx")
add(AB, "connect-other", "CONNECT to another host", req(b"CONNECT", b"evil.example:22"), "4xx")
add(AB, "scheme-relative", "a target that starts with //", req(b"GET", b"//evil.example/health"), "4xx")
add(AB, "absolute-signup-bad-json", "absolute-form signup with invalid JSON",
    req(b"POST", b"http://127.0.0.1/api/auth/signup", JSON_CT, b"{x}"), "4xx")
add(AB, "absolute-with-nul", "absolute-form with a raw NUL", req(b"GET", b"http://127.0.0.1/he\x00alth"), "400", "close")


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    total = 0
    for category, items in cases.items():
        d = os.path.join(OUT, category)
        os.makedirs(d)
        seen = set()
        for i, (slug, meta, raw) in enumerate(items, 1):
            assert slug not in seen, (category, slug)
            seen.add(slug)
            text = "".join("%s: %s\n" % (k, v) for k, v in meta).encode("utf-8", "surrogateescape")
            with open(os.path.join(d, "%03d-%s.case" % (i, slug)), "wb") as f:
                f.write(text + b"====\n" + raw)
            total += 1
        print("%-14s %d" % (category, len(items)))
    print("%-14s %d" % ("total", total))


if __name__ == "__main__":
    main()
