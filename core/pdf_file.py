"""A PDF file from its numbered objects: the few lines every hand-made PDF of the project
ends with (the demo's CVs and letters, the bench's uploads). No Django here: the bench's
driver imports it without settings."""


def pdf_file(objects: list[bytes], *, info: int | None = None) -> bytes:
    """PDF 1.4: header, the objects numbered from 1 (the first is the catalogue), the
    cross-reference table and the trailer, naming object ``info`` as the metadata if given."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    metadata = b" /Info %d 0 R" % info if info else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%b >>\n" % (len(objects) + 1, metadata)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
