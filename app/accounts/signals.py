"""Signals other packages listen to, so that accounts need not know them."""

from blinker import Namespace

_signals = Namespace()

# Sent inside the transaction that gives a person a department or job role (creating,
# editing, importing or reactivating the person); receivers add to the same transaction.
# Courses give the person the assignments of its new department and job role.
membership_changed = _signals.signal("membership-changed")
