"""Settings and behaviour-tuning data: the bottom layer of jobsift. Imports nothing from the project."""
