"""Deep learning from scratch: a numpy tensor autograd engine that agrees with torch.autograd, the layers,
losses and optimizers built on it, and the same models in PyTorch proper."""
