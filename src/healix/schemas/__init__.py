"""Pydantic request/response models; they also generate the OpenAPI document."""
