"""Typed configuration: the schema (`params`) and its composition from `conf/` (`compose`)."""
