"""The three Workplan services. A service never imports another."""
