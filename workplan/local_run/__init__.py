"""Running the whole system on one machine (``workplan up``): free ports, supervised
service processes with one combined log, and a local mail catcher."""
