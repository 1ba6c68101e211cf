"""The five AWS services. Each package exposes a service class built by app.py."""
