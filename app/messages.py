"""Messages of pure modules that read as English text and can still be translated later.

A pure module (a file parser, say) may not import Flask, yet a German user should read its
problems in German. `N_("line %(line)d", line=7)` is a `Message`: a str whose value is the
English text ("line 7"), so the CLI and every test see plain English, and which keeps its
template and parameters, so that the web UI can translate it with `translated()`.
`N_` is an extraction keyword of pybabel (see docs/translations.md).
"""


class Message(str):
    """English text (`template % params`) that remembers its template and parameters."""

    def __new__(cls, template, params=None):
        params = dict(params or {})
        # As gettext does: only a message with parameters is %-formatted.
        message = super().__new__(cls, template % params if params else template)
        message.template = template
        message.params = params
        return message

    def __reduce__(self):
        return (Message, (self.template, self.params))

    def __repr__(self):
        params = "".join(f", {name}={value!r}" for name, value in self.params.items())
        return f"N_({self.template!r}{params})"


def N_(template, **params):  # noqa: N802 (the name gettext's tools know)
    """Mark a message for extraction; its str value is the English text."""
    return Message(template, params)


def translated(text):
    """A Message in the current locale (parameters that are Messages too); other values as
    they are. Needs an app context for any language but English."""
    if not isinstance(text, Message):
        return text
    from flask_babel import gettext

    params = {name: translated(value) for name, value in text.params.items()}
    return gettext(text.template, **params)
