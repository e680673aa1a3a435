"""Training of the packaged entity model: data preparation, config and the training command."""
