"""A user's own roster (one row per person, present or past): its format and validation, the workforce it starts
the model from, the observed record its exits make, the survival prior it gives the base hazard, and the salted
hashes that keep its names and ids inside the run."""
