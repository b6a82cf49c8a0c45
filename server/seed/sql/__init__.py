"""SQL parts of the demo-data generator, run in file-name order by ``server.seed``."""
