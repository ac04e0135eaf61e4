"""The model under study: the network spec, activations, losses, optimizers, safe
expressions, and the numbers and files users write."""
