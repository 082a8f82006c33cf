"""Forecast skill: the record's event series as targets, reference forecasts, skill scores beside the model."""
