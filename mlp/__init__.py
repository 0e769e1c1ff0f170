"""A multi-layer perceptron written from scratch in NumPy.

It follows Ritchie Vink's 2017 post "Programming a neural network from
scratch" (https://www.ritchievink.com/blog/2017/07/10/programming-a-neural-network-from-scratch/:
``Network(dimensions, activations)``, ReLU and sigmoid, squared error,
backpropagation per eq. 2.4.0-2.4.3, minibatch SGD, validated on the 8x8
digits) without the post's defects, and adds softmax with cross-entropy,
momentum and Adam, L2, held-out evaluation, a model file, a scikit-learn
estimator and a CLI. The same code runs in CPython and, via Pyodide, in the
browser.

>>> import numpy as np
>>> from mlp import Network, Relu, Sigmoid, MSE
>>> nn = Network((64, 15, 10), (Relu, Sigmoid), seed=0)
>>> history = nn.fit(np.zeros((4, 64)), np.eye(10)[:4], loss=MSE, epochs=1, batch_size=2)
>>> nn.predict(np.zeros((1, 64))).shape
(1, 10)
"""

from .activations import ACTIVATIONS, Identity, LeakyRelu, Relu, Sigmoid, Softmax, Tanh
from .csvfile import CSVError, read_csv
from .data import Dataset, read_dataset
from .datasets import dataset_names, load_dataset, load_digits
from .gradcheck import gradient_check
from .losses import LOSSES, MSE, BinaryCrossEntropy, CrossEntropy, PublishedMSE
from .network import Network
from .optimizers import OPTIMIZERS, SGD, Adam, Momentum, Nesterov
from .serialization import ModelFormatError, load, loads, save
from .training import History, Trainer, TrainingDiverged

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "OPTIMIZERS",
    "Adam",
    "BinaryCrossEntropy",
    "CSVError",
    "CrossEntropy",
    "Dataset",
    "History",
    "Identity",
    "LeakyRelu",
    "MSE",
    "ModelFormatError",
    "Momentum",
    "Nesterov",
    "Network",
    "PublishedMSE",
    "Relu",
    "SGD",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "Trainer",
    "TrainingDiverged",
    "gradient_check",
    "dataset_names",
    "load",
    "load_dataset",
    "load_digits",
    "loads",
    "read_csv",
    "read_dataset",
    "save",
]
