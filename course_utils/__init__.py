"""course_utils: the shared, tested implementations behind the activation-functions course.

Modules (one idea each)::

    activations    step, sigmoid, tanh, relu, leaky_relu, elu, softplus, softmax, ... and derivatives
    layers         Sigmoid, Tanh, ReLU, LeakyReLU, Affine, losses, Sequential (forward/backward)
    perceptron     Perceptron: one neuron and Rosenblatt's learning rule
    gradcheck      numerical_gradient, gradient_check (+ gradient_check_report), relative errors
    plotting       plot_activation, plot_activations (one look, colour-blind-safe)
    widgets        ipywidgets explorers used in the notebooks
    exercises      the checkers behind the "Your turn" cells
    notebook_setup setup(): language, seeds, print options, plot style
    i18n           set_language(): messages in English, Korean or Japanese
    datasets       seeded toy datasets (XOR, two moons, spirals) for the capstone
    training       a full-batch training loop, gradient norms per layer, dead-unit fraction
"""

from . import datasets, training
from .activations import (ACTIVATIONS, KINK_SIDE, Activation, elu, elu_grad, identity, identity_grad, leaky_relu,
                          leaky_relu_grad, log_softmax, relu, relu_grad, sigmoid, sigmoid_grad, softmax, softplus,
                          softplus_grad, step, step_grad, tanh, tanh_grad)
from .gradcheck import (GradientCheckReport, gradient_check, gradient_check_report, normwise_relative_error,
                        numerical_gradient, relative_error)
from .layers import (Affine, BCELoss, Identity, LeakyReLU, MSELoss, ReLU, Sequential, Sigmoid, SoftmaxCrossEntropy,
                     Tanh)
from .notebook_setup import SEED, setup
from .perceptron import Perceptron
from .plotting import plot_activation, plot_activations

__version__ = "1.0.0"

__all__ = [
    "step", "step_grad", "identity", "identity_grad", "sigmoid", "sigmoid_grad", "tanh", "tanh_grad",
    "relu", "relu_grad", "leaky_relu", "leaky_relu_grad", "elu", "elu_grad", "softplus", "softplus_grad",
    "softmax", "log_softmax", "ACTIVATIONS", "Activation", "KINK_SIDE",
    "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Identity", "Affine", "MSELoss", "BCELoss", "SoftmaxCrossEntropy",
    "Sequential", "Perceptron", "numerical_gradient", "gradient_check", "relative_error",
    "gradient_check_report", "GradientCheckReport", "normwise_relative_error",
    "plot_activation", "plot_activations", "setup", "SEED", "datasets", "training",
]
