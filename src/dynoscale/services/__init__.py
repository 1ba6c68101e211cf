"""The five AWS services. Each package exposes a service class built by app.py.

`spec N.N` in their comments is entry N.N of the behaviour notes in docs/behaviour/ (README.md
there says which file belongs to which service); each entry names its AWS source."""
