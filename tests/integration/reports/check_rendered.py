"""Checks what headless Chromium made of the sample report.html.

    check_rendered.py DOM.html SCREENSHOT.png REPORT.pdf

DOM.html is Chromium's --dump-dom: the document as the browser parsed it, so
hostile text that escaped its escaping would show up here as elements. The
screenshot proves the inline stylesheet applied under the page's own
Content-Security-Policy (the verdict banner and the badges have their
colours); the PDF that the page prints. Exits 1 with every problem listed.
"""
import html.parser
import struct
import sys
import zlib


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = {}
        self.details = []  # (class, open) of each <details>
        self.text = []
        self.skip = 0  # inside <style>/<title>

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "details":
            self.details.append((a.get("class", ""), "open" in a, a.get("id", "")))
        if tag in ("style", "title"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "title") and self.skip > 0:
            self.skip -= 1

    def handle_data(self, data):
        if self.skip == 0:
            self.text.append(data)


def png_pixels(path):
    """Returns (width, height, rows of (r, g, b)) of an 8-bit RGB/RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (2, 6):
                raise ValueError("unexpected PNG format %d/%d" % (depth, colour))
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            left = line[x - bpp] if x >= bpp else 0
            up = prev[x]
            ul = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + left) & 255
            elif f == 2:
                line[x] = (line[x] + up) & 255
            elif f == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif f == 4:
                p = left + up - ul
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - ul)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else ul)
                line[x] = (line[x] + pred) & 255
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, bpp)])
        prev = line
    return width, height, rows


def main():
    dom_path, png_path, pdf_path = sys.argv[1:4]
    problems = []
    dom = Dom()
    dom.feed(open(dom_path, encoding="utf-8").read())
    text = " ".join(" ".join(dom.text).split())

    # No element the page did not mean to have: the hostile body stayed text.
    for tag in ("script", "img", "iframe", "link", "object", "embed", "b"):
        if dom.tags.get(tag):
            problems.append("the DOM has %d <%s> element(s)" % (dom.tags[tag], tag))
    cases = [d for d in dom.details if d[0].startswith("case ")]
    if len(cases) != 8:
        problems.append("expected 8 case blocks, found %d" % len(cases))
    for cls, is_open, ident in cases:
        want_open = "st-fail" in cls or "st-error" in cls
        if is_open != want_open:
            problems.append("%s: open=%s, expected open=%s" % (ident, is_open, want_open))

    expected = [
        "FAIL: the target does not conform",
        "2 failed, 1 error, 3 passed, 2 skipped, of 8 checks",
        "Target http://127.0.0.1:8000",
        "Date 2026-11-25T09:46:40Z",
        "Profile quickstart",
        "Run id run-0001",
        "Harness version authconform",
        "strong-secret", "secrets-not-exposed", "bcrypt-cost", "hs256", "token-expiry",
        "no-info-leak", "user-isolation", "cors", "https-tls13", "rate-limiting",
        "httponly-cookies", "csp",
        "— NOT CHECKED",
        "✗ FAIL SEC-HS256-001 Tokens signed with alg none are refused",
        "✓ PASS QS-SIGNUP-001 Signup returns 201 with a token",
        "– SKIP SEC-TLS-001 Only TLS 1.3 is offered",
        "! ERROR SEC-RATELIMIT-001 Signin is rate limited per address",
        "Skipped because needs an https:// target",
        "Expectation that failed expect.json",
        "<script>alert(1)</script> | a | b | ``` `x` **bold** [link](http://evil)",
        "<img src=x onerror=alert(2)>",
        "> Authorization: Bearer eyJhbGciOi…",
        "Remediation: Verify the signature and accept only HS256",
        "! transport error: Operation timed out after 5000 milliseconds",
    ]
    for want in expected:
        if want not in text:
            problems.append("rendered text lacks: %r" % want)
    if "\u202e" in text:
        problems.append("a bidi override reached the page")

    width, height, rows = png_pixels(png_path)
    if (width, height) != (1200, 1800):
        problems.append("screenshot is %dx%d, expected 1200x1800" % (width, height))
    counts = {}
    for row in rows[:600]:
        for px in row:
            counts[px] = counts.get(px, 0) + 1
    banner = counts.get((0xFF, 0xEB, 0xE9), 0)  # --fail-bg: the verdict banner
    badge = counts.get((0xB3, 0x26, 0x1E), 0)   # --fail: border and badges
    if banner < 20000:
        problems.append("the verdict banner is not drawn in its colour (%d pixels): "
                        "was the inline stylesheet blocked?" % banner)
    if badge < 500:
        problems.append("the failure colour is missing (%d pixels)" % badge)
    if len(counts) < 50:
        problems.append("the screenshot looks blank (%d colours)" % len(counts))

    pdf = open(pdf_path, "rb").read()
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    if not pdf.startswith(b"%PDF-") or pages < 2:
        problems.append("printing gave no multi-page PDF (%d pages)" % pages)

    for p in problems:
        print("check_rendered: " + p, file=sys.stderr)
    if problems:
        return 1
    print("check_rendered: DOM, screenshot (%d banner pixels) and PDF (%d pages) as expected"
          % (banner, pages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
