"""The `analytics` root: typed reports over the tracking and checkout data."""
