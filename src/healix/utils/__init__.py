"""Small shared helpers with no domain rules."""
