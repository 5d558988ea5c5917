"""Memory: what the machine has (probe), what a model will take (estimate), how tight it is."""
