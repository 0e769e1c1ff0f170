"""Your code: an edited activation, loss or backprop, run in place of the built-in one.

The page's Code view shows the Python that is running, taken from this
package with :func:`inspect.getsource`, so it can never drift from what runs.
A learner edits one of three pieces and runs it:

``activation``
    a class like :class:`mlp.activations.Relu`: ``activation`` (f, eq. 1.3.1)
    and ``prime`` (f', in eq. 2.4.0 and 2.4.1). A new ``name`` adds an
    activation (the Swish template), an existing one replaces it.
``loss``
    a class like :class:`mlp.losses.MSE`: ``loss`` (J) and ``delta`` (eq. 2.4.0).
``backprop``
    the readable :meth:`mlp.network.Network.backprop`.

:func:`run` executes the source in a fresh module, whose globals are what
the shipped module sees (``np``, ``Activation``, ``Loss``, ...), checks what it
defines on a small input (shapes, finite values) and registers it. Every
problem becomes a :class:`CodeError` that names the line in the learner's
code. Registering a piece in CPython is the same call the page makes::

    from mlp.activations import register_activation
    register_activation(Swish)
"""

import inspect
import linecache
import textwrap
import traceback
import types

import numpy as np

from . import activations, losses, network

FILENAME = "<your code>"
"""The file name the learner's code runs under: tracebacks point into it by line."""

PIECES = {
    "activation": (activations, "Relu"),
    "loss": (losses, "MSE"),
    "backprop": (network, "Network.backprop"),
}
"""Each editable piece: the module whose globals it runs with, and what the editor starts from."""

SWISH = '''class Swish(Activation):
    """f(z) = z * sigmoid(z) (Ramachandran et al., 2017): smooth, and not monotonic."""

    name = "swish"

    @staticmethod
    def activation(z, out=None):
        s = 1.0 / (1.0 + np.exp(-z))
        return np.multiply(z, s, out=out)

    @staticmethod
    def prime(z, a=None):
        s = 1.0 / (1.0 + np.exp(-z))
        return s + z * s * (1.0 - s)
'''
"""The template for a new activation."""


class CodeError(ValueError):
    """The learner's code failed: ``line`` (1-based, or None) is where, in their code."""

    def __init__(self, message, line=None):
        super().__init__(message if line is None else f"line {line}: {message}")
        self.message, self.line = message, line


def source(piece):
    """The shipped source of a piece, as the running package has it (dedented)."""
    module, qualname = _piece(piece)
    target = module
    for part in qualname.split("."):
        target = getattr(target, part)
    return textwrap.dedent(inspect.getsource(target))


def bug_2017():
    """The MSE class with the 2017 post's delta, sigma'(a) for sigma'(z): the exercise."""
    text = source("loss")
    correct = "        return self.activation_fn.backward(out, z, a, out=out)\n"
    if correct not in text:
        raise RuntimeError("MSE.delta changed; update mlp.usercode.bug_2017")
    return text.replace(correct, "        # As published in 2017: the derivative taken at a, not at z.\n"
                                 "        return np.multiply(out, self.activation_fn.prime(a), out=out)\n")


def run(piece, text):
    """Execute ``text`` as a fresh module and return what it defines for ``piece``.

    Returns
    -------
    type or function
        An Activation subclass, a Loss subclass, or a ``backprop`` function.

    Raises
    ------
    CodeError
        A syntax error, an exception while the module runs, nothing of the
        right kind defined, or a piece that fails its first checks.
    """
    module, _ = _piece(piece)
    try:
        code = compile(text, FILENAME, "exec")
    except SyntaxError as exc:
        raise CodeError(f"{type(exc).__name__}: {exc.msg}", exc.lineno) from None
    linecache.cache[FILENAME] = (len(text), None, text.splitlines(True), FILENAME)  # tracebacks show the lines
    fresh = types.ModuleType("your_code")
    fresh.__dict__.update({k: v for k, v in vars(module).items() if not k.startswith("__")})
    fresh.__dict__["__name__"] = "your_code"
    with user_frames():
        exec(code, fresh.__dict__)
    found = _defined(piece, fresh)
    with user_frames():
        if piece == "activation":
            check_activation(found)
        elif piece == "loss":
            check_loss(found)
    return found


def check_piece(piece):
    """``piece`` if it is one of :data:`PIECES`, else a ValueError."""
    if piece not in PIECES:
        raise ValueError(f"piece must be one of {', '.join(PIECES)}, got {piece!r}")
    return piece


def _piece(piece):
    return PIECES[check_piece(piece)]


def _defined(piece, module):
    """The one thing of ``piece``'s kind that the learner's module defines."""
    if piece == "backprop":
        found = module.__dict__.get("backprop")
        if not callable(found):
            raise CodeError("define a function backprop(self, x, y, loss, l2=0.0)")
        return found
    base = activations.Activation if piece == "activation" else losses.Loss
    mine = [v for v in vars(module).values()
            if isinstance(v, type) and issubclass(v, base) and v.__module__ == "your_code"]
    if len(mine) != 1:
        raise CodeError(f"define exactly one class that inherits from {base.__name__}; found {len(mine)}")
    cls = mine[0]
    if not (isinstance(cls.name, str) and cls.name.isidentifier() and cls.name == cls.name.lower()):
        raise CodeError(f'give {cls.__name__} a lowercase name, as in name = "swish"; got {cls.name!r}')
    return cls


def check_activation(cls):
    """f and f' on a small input: the shapes of z, finite values, and ``out`` honoured."""
    z = np.linspace(-3.0, 3.0, 12).reshape(3, 4)
    with np.errstate(all="ignore"):  # NaN is reported below, by name
        a = cls.activation(z.copy())
        fprime = cls.prime(z.copy(), a)
    for what, value, fn in (("activation(z)", a, cls.activation), ("prime(z, a)", fprime, cls.prime)):
        if np.shape(value) != z.shape:
            raise CodeError(f"{what} must return an array of z's shape {z.shape}, got {np.shape(value)}", _line_of(fn))
        if not np.all(np.isfinite(value)):
            raise CodeError(f"{what} gave NaN or inf for z in [-3, 3]", _line_of(fn))
    out = np.empty_like(z)
    if cls.activation(z, out=out) is not out:
        raise CodeError("activation(z, out=out) must write into out and return it (training passes its buffers)",
                        _line_of(cls.activation))


def _line_of(fn):
    """The line where ``fn`` is defined, if it is the learner's (else None: it was inherited)."""
    code = getattr(fn, "__code__", None)
    if code is None or code.co_filename != FILENAME:
        return None
    line = code.co_firstlineno
    while linecache.getline(FILENAME, line).lstrip().startswith("@"):  # past its decorators, to the def
        line += 1
    return line


def check_loss(cls):
    """J and the output delta on a small input, with a sigmoid output: a finite number, and a delta of a's shape."""
    y = np.eye(4)[[0, 1, 2]]
    z = np.linspace(-2.0, 2.0, 12).reshape(3, 4)
    a = activations.Sigmoid.activation(z)
    loss = cls(activations.Sigmoid)
    with np.errstate(all="ignore"):
        value = loss.loss(y, a.copy())
        delta = loss.delta(y, a.copy(), z.copy())
    if not isinstance(value, (int, float, np.floating)) or not np.isfinite(value):
        raise CodeError(f"loss(y_true, a) must return a finite number, got {value!r}", _line_of(cls.loss))
    if np.shape(delta) != a.shape:
        raise CodeError(f"delta(y_true, a, z) must return an array of a's shape {a.shape}, got {np.shape(delta)}",
                        _line_of(cls.delta))
    if not np.all(np.isfinite(delta)):
        raise CodeError("delta(y_true, a, z) gave NaN or inf", _line_of(cls.delta))


class user_frames:
    """A context that turns an exception from the learner's code into a CodeError at its line."""

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None or isinstance(exc, CodeError) or not isinstance(exc, Exception):
            return False  # KeyboardInterrupt (Stop) and the like go through
        raise CodeError(f"{kind.__name__}: {exc}", error_line(tb)) from None


def error_line(tb):
    """The last line of the learner's code in a traceback, or None."""
    lines = [line for frame, line in traceback.walk_tb(tb) if frame.f_code.co_filename == FILENAME]
    return lines[-1] if lines else None
