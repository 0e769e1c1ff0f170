"""What SIGINT does, in one place: stop training cleanly, or end the learner's code.

SIGINT is Ctrl-C on the desktop; in Pyodide it is the page's Stop, written
as 2 into the interrupt buffer (``pyodide.setInterruptBuffer``), which
Python notices between two bytecodes of whatever it is running. Two policies:

- **stop training** (:func:`stop_training`, and :func:`stop_training_for_good`
  for the page's worker): SIGINT calls a trainer's ``request_stop``, and the
  loop stops at its next batch boundary. A KeyboardInterrupt could strike in
  the middle of an update and leave the weights half stepped; a request
  cannot.
- **end the learner's code** (:func:`raise_in_learner_code`): their code can
  loop forever, where no batch boundary comes; SIGINT raises
  KeyboardInterrupt inside it, and the caller puts back what it changed.

Signal handlers can be set only from the main thread; elsewhere these do
nothing.
"""

import contextlib
import signal
import threading


def _main_thread():
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def _handler(handler):
    if not _main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def stop_training(request_stop):
    """Within the block, SIGINT calls ``request_stop()`` instead of raising KeyboardInterrupt.

    Parameters
    ----------
    request_stop : callable
        Called with no arguments, e.g. :meth:`mlp.training.Trainer.request_stop`.
    """
    return _handler(lambda signum, frame: request_stop())


def stop_training_for_good(request_stop):
    """From now on, SIGINT calls ``request_stop()``: the page's worker installs this once.

    For good, not just while a chunk trains: a Stop that lands between two
    chunks must never surface as a KeyboardInterrupt in another call.
    """
    if _main_thread():
        signal.signal(signal.SIGINT, lambda signum, frame: request_stop())


def raise_in_learner_code():
    """Within the block, SIGINT raises KeyboardInterrupt: Stop ends a loop in the learner's code."""
    return _handler(signal.default_int_handler)
