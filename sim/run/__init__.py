"""One run: `simulate` (config -> `Result`), its tables (`results`) and its folder on disk (`files`)."""
