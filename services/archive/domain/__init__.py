"""The archive's pure model: what it keeps of an event, how text folds, how state projects."""
