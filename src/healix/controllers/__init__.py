"""Business rules, one module per feature. Controllers never touch the request and never
commit: the request's unit of work does."""
