"""Request processing: authentication, authorization, errors, the unit of work."""
