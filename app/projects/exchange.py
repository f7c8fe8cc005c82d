"""Reading a project file whatever its format: the network JSON or Microsoft Project XML
(MSPDI), told apart by their first character.

Pure: no Flask, no database.
"""

from app.projects import mspdi, network

# Both parsers raise these, each with ``problems``: every reason the file is refused.
FILE_ERRORS = (network.NetworkError, mspdi.MspdiError)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def is_xml(data):
    """Whether the bytes are XML: "<" first after an optional byte order mark and spaces."""
    if data[:2] in _BOMS[1:]:
        return data.decode("utf-16", errors="replace").lstrip("\ufeff \t\r\n").startswith("<")
    return data.removeprefix(_BOMS[0]).lstrip().startswith(b"<")


def read(data):
    """A network.Network from the bytes of a network JSON or MSPDI file; raises one of
    FILE_ERRORS naming every problem."""
    data = bytes(data)
    if is_xml(data):
        if data[:2] not in _BOMS[1:]:
            # XML allows nothing before its declaration; a stray blank line is forgiven.
            data = data.removeprefix(_BOMS[0]).lstrip()
        return mspdi.read(data)
    return network.parse(data)
