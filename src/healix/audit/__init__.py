"""The audit trail: what happened (events.py), recording it (logger.py) and proving the
record is intact (chain.py). Domain code: controllers import it; it imports no controller."""
