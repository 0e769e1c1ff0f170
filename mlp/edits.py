"""The learner's code in a session: run an edited piece in place of the shipped one, check it, restore it.

:mod:`mlp.usercode` runs a learner's text and checks what it defines; this
module puts the piece where it is used, and takes it out again:

- an activation goes into the registry (:func:`mlp.activations.register_activation`)
  and into the current network's layers of its name;
- a loss goes into the registry (:func:`mlp.losses.register_loss`); the
  trainer and the lesson look losses up by name, so they use it from then on;
- a backprop becomes the session's (:class:`mlp.backprop.Readable`), which
  every trainer of the session runs.

A piece whose code fails (an error, a wrong shape, Stop) is never kept: the
registries and the network's activations are put back as they were
(:func:`kept_unless_it_fails`). One that runs but fails the gradient check is
kept, so the learner can train with it and watch what the error does (the
2017 post's bug).
"""

import contextlib

from . import usercode
from .activations import ACTIVATIONS, get_activation, register_activation, restore_activations
from .backprop import Buffered, Readable
from .config import OUTPUTS
from .gradcheck import gradient_check
from .interrupts import raise_in_learner_code
from .lesson import model_loss
from .losses import LOSSES, get_loss, register_loss, restore_losses
from .serialization import from_dict, to_dict


def _output_for(loss_name, default):
    """The output an edited loss is checked with: the first the page pairs it with (sigmoid for MSE, as in the post)."""
    return next((o["output"] for o in OUTPUTS if o["loss"] == loss_name), default)


def referee_loss(session, network):
    """The loss that referees the learner's activation or backprop: the model's own, unless it is defective.

    The 2017 post's MSE (``published_mse``) takes its output delta at the
    wrong point, so it fails the gradient check whatever the learner wrote;
    the correct MSE, with the same output, referees instead, and the
    learner's code is judged on its own.
    """
    loss = model_loss(session, network)
    return get_loss("mse", network.activations[-1]) if loss.name == "published_mse" else loss


def _with_activations(network, activations):
    """A copy of ``network``, the same weights, with other activation classes: a referee for the gradient check."""
    copy = from_dict(to_dict(network))
    copy.activations = tuple(activations)
    return copy


@contextlib.contextmanager
def kept_unless_it_fails(session):
    """Within the block, an exception puts back the registries, the network's activations
    and the session's backprop as they were before it, then goes on."""
    net = session.network
    before = dict(ACTIVATIONS), dict(LOSSES), net.activations, session.edits.backprop
    try:
        yield
    except BaseException:
        activations, losses, net_activations, backprop = before
        ACTIVATIONS.clear()
        ACTIVATIONS.update(activations)
        LOSSES.clear()
        LOSSES.update(losses)
        net.activations = net_activations
        session.edits.use_backprop(session, backprop)
        raise


class Edits:
    """Which pieces the learner's code replaces in a session, and their backprop.

    Attributes
    ----------
    pieces : dict of str to str
        The edited pieces (``"activation"``, ``"loss"``, ``"backprop"``), each
        with the text that runs in its place.
    backprop : callable or None
        The learner's backprop (``Network.backprop``'s signature), or None for the shipped one.
    """

    def __init__(self):
        self.pieces = {}
        self.backprop = None

    def trainer_backprop(self):
        """What a trainer of the session runs: the learner's backprop on the raw batch, else the fast path."""
        return Buffered() if self.backprop is None else Readable(self.backprop)

    def use_backprop(self, session, function):
        """Make ``function`` (None: the shipped one) the session's backprop, the running trainer's too."""
        self.backprop = function
        if session.trainer is not None:
            session.trainer.backprop = self.trainer_backprop()

    def run(self, session, piece, text):
        """Run a learner's edited piece in place of the shipped one, then the gradient check on it.

        An activation replaces the one of its name (or adds a new one) and is
        checked on the current network with it in every hidden layer; a loss
        replaces the one of its name and is checked on the current network
        with the output it goes with (sigmoid for MSE, as in the post); an
        edited ``backprop`` becomes the session's, which training then uses.
        The weights are never changed by a run.

        Returns
        -------
        dict
            ``ok``; with it, ``gradcheck`` (per layer), ``max_error``, ``name``,
            ``loss`` (the loss the check used: the piece itself for a loss,
            else :func:`referee_loss`), ``model_loss`` (the model's own) and
            ``trains`` (whether Train uses the piece with the current
            settings); without it, ``error`` and ``line`` (in the learner's code,
            or None). Errors are returned, not raised: they are the learner's.
        """
        net = session.require_model()
        try:
            with kept_unless_it_fails(session), raise_in_learner_code():  # Stop ends an endless loop
                found = usercode.run(piece, text)
                with usercode.user_frames():
                    report, name, trains, loss = self._use(session, piece, found, net)
        except KeyboardInterrupt as exc:
            return {"ok": False, "error": "stopped: your code was still running (an endless loop?)",
                    "line": usercode.error_line(exc.__traceback__)}
        except usercode.CodeError as exc:
            return {"ok": False, "error": exc.message, "line": exc.line}
        self.pieces[piece] = text
        worst = max(max(r["weights"], r["biases"]) for r in report)
        return {"ok": True, "gradcheck": report, "max_error": float(worst), "name": name, "trains": trains,
                "loss": loss.name, "model_loss": model_loss(session, net).name}

    def _use(self, session, piece, found, net):
        x, y = session.x_train[:5], session.targets(session.y_train[:5])
        if piece == "activation":
            register_activation(found)
            net.activations = tuple(found if f.name == found.name else f for f in net.activations)
            referee = _with_activations(net, (found,) * (len(net.activations) - 1) + (net.activations[-1],))
            loss = referee_loss(session, net)
            report = gradient_check(referee, x, y, loss, max_entries=50)
            return report, found.name, found in net.activations, loss
        if piece == "loss":
            register_loss(found)
            output = _output_for(found.name, net.activations[-1].name)
            referee = _with_activations(net, (*net.activations[:-1], get_activation(output)))
            loss = found(referee.activations[-1])
            report = gradient_check(referee, x, y, loss, max_entries=50)
            return report, found.name, found.name == session.config["loss"], loss
        self.use_backprop(session, found)
        loss = referee_loss(session, net)
        report = gradient_check(net, x, y, loss, max_entries=50, backprop=found)
        return report, "backprop", True, loss

    def restore(self, session, piece=None):
        """Put the shipped code back, for one piece or (None) all of them; returns the pieces still edited."""
        for each in usercode.PIECES if piece is None else [usercode.check_piece(piece)]:
            if each == "activation":
                restore_activations()
                if session.network is not None:
                    session.network.activations = tuple(get_activation(f.name) if f.name in ACTIVATIONS else f
                                                        for f in session.network.activations)
            elif each == "loss":
                restore_losses()
            else:
                self.use_backprop(session, None)
            self.pieces.pop(each, None)
        return sorted(self.pieces)
