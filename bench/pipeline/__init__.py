"""``workplan bench``: the whole pipeline on the real services (see ``run.py``)."""
