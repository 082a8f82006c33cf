"""The console commands: the only modules that import `hydra.main` or argparse."""
