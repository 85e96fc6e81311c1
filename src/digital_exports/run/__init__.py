"""The pipeline: steps and parameters, warm kernels, the runner."""
