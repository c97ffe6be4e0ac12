"""The logger FastStream writes through: the platform's logging (JSON lines with the service's
fields) instead of its own handler on stdout, which wrote coloured text lines into the
service's log; less its chatter.

FastStream's subscriber supervisor says "callback for Task-N is being executed..." at INFO each
time a consumer task ends, that is for every consumer at every stop: nothing an operator can
act on, so it is a DEBUG line here (its "raised an exception, retrying" warnings stay as they
are)."""

from __future__ import annotations

import logging
import re

_TASK_CALLBACK = re.compile(r"callback for \S+ is being executed\.\.\.")


class SupervisorChatterToDebug(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO or not _TASK_CALLBACK.fullmatch(record.getMessage()):
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


FASTSTREAM_LOGGER = logging.getLogger("contacts_messaging.faststream")
FASTSTREAM_LOGGER.addFilter(SupervisorChatterToDebug())
