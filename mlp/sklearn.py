"""A scikit-learn compatible classifier built on :class:`mlp.Network`.

This is the one module of ``mlp`` that imports scikit-learn, and only when it
is itself imported: ``import mlp`` never does, and the browser never loads
it. It exists so the from-scratch network drops into pipelines,
``GridSearchCV`` and ``cross_val_score``.

>>> from sklearn.datasets import load_digits
>>> from mlp.sklearn import MLPClassifier
>>> x, y = load_digits(return_X_y=True)
>>> clf = MLPClassifier(hidden_layer_sizes=(32,), epochs=5, random_state=0).fit(x / 16, y)
>>> clf.score(x / 16, y) > 0.9
True
"""

import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from .data import train_test_split
from .network import Network
from .training import Trainer
from .validation import check_float


class MLPClassifier(ClassifierMixin, BaseEstimator):
    """Multi-layer perceptron classifier, trained with this package's backprop.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(100,)
        Width of each hidden layer.
    activation : {"relu", "leaky_relu", "tanh", "sigmoid", "identity"}, default="relu"
        Activation of every hidden layer.
    output_activation : {"softmax", "sigmoid"}, default="softmax"
    loss : {"cross_entropy", "mse", "binary_cross_entropy"}, default="cross_entropy"
    optimizer : {"adam", "sgd", "momentum", "nesterov"}, default="adam"
    learning_rate : float, default=1e-3
    l2 : float, default=1e-4
        Weight decay coefficient.
    batch_size : int, default=32
        Capped at the number of samples.
    epochs : int, default=50
    init : {"lecun", "xavier", "he"}, default="he"
    input_scale : float, default=1.0
        Inputs are multiplied by this inside the network.
    early_stopping : int or None, default=None
        Patience in epochs: stop when the monitored loss (validation if
        ``validation_fraction`` > 0, else training) has not improved for
        this many epochs, with the best epoch's weights (scikit-learn's
        ``n_iter_no_change``).
    validation_fraction : float, default=0.0
        The share of ``X`` (stratified, from ``random_state``) set aside,
        never trained on, to monitor; 0: none.
    keep_best : bool, default=False
        End with the weights of the epoch of lowest monitored loss.
    random_state : int or None, default=None
        Seeds the initial weights and the shuffling.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    network_ : mlp.Network
    loss_curve_ : list of float
        Training loss after each epoch.
    validation_loss_curve_ : list of float or None
        Validation loss after each epoch, with ``validation_fraction`` > 0.
    best_epoch_ : int or None
        The epoch of lowest monitored loss, when one was tracked.
    n_iter_ : int
        Epochs run.
    n_features_in_ : int
    """

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        output_activation="softmax",
        loss="cross_entropy",
        optimizer="adam",
        learning_rate=1e-3,
        l2=1e-4,
        batch_size=32,
        epochs=50,
        init="he",
        input_scale=1.0,
        early_stopping=None,
        validation_fraction=0.0,
        keep_best=False,
        random_state=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.output_activation = output_activation
        self.loss = loss
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.l2 = l2
        self.batch_size = batch_size
        self.epochs = epochs
        self.init = init
        self.input_scale = input_scale
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.keep_best = keep_best
        self.random_state = random_state

    def fit(self, X, y):
        """Train a fresh network on ``X`` and labels ``y``; returns ``self``."""
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        hidden = tuple(self.hidden_layer_sizes)
        seeds = np.random.SeedSequence(self.random_state).spawn(3)
        validation = None
        if self.validation_fraction:
            share = check_float(self.validation_fraction, "validation_fraction", low=0.0, high=0.9)
            X, x_val, y_index, y_val = train_test_split(X, y_index, share, np.random.default_rng(seeds[2]))
            validation = (x_val, y_val)
        self.network_ = Network(
            (X.shape[1], *hidden, len(self.classes_)),
            (self.activation,) * len(hidden) + (self.output_activation,),
            init=self.init,
            seed=np.random.default_rng(seeds[0]),
            input_scale=self.input_scale,
        )
        trainer = Trainer(
            self.network_,
            X,
            y_index,
            loss=self.loss,
            optimizer=self.optimizer,
            learning_rate=self.learning_rate,
            batch_size=min(self.batch_size, len(X)),
            l2=self.l2,
            seed=np.random.default_rng(seeds[1]),
            early_stopping=self.early_stopping,
            validation_data=validation,
            keep_best=self.keep_best,
            epochs=self.epochs,
        )
        self.network_.loss = trainer.loss
        if not trainer.run_to_the_end(self.epochs):
            # As scikit-learn's own MLP does: keep the model trained so far.
            warnings.warn("Training interrupted by the user; the model is the one trained so far.", stacklevel=2)
        self.loss_curve_ = trainer.history["loss"]
        self.validation_loss_curve_ = trainer.history["val_loss"] if validation is not None else None
        self.best_epoch_ = None if trainer.best_epoch is None else trainer.best_epoch[0]
        self.n_iter_ = trainer.epoch
        return self

    def predict_proba(self, X):
        """Class probabilities, shape (n_samples, n_classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        out = self.network_.predict(X)
        if self.output_activation != "softmax":  # independent sigmoids: normalise rows
            out = out / np.maximum(out.sum(axis=1, keepdims=True), 1e-300)
        return out

    def predict(self, X):
        """The most probable class for each sample."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]
