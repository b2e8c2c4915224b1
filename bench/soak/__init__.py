"""``workplan soak``: the guarantees checked under real faults (see ``docs/faults.md``)."""
