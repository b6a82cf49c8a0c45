"""LGPD data-subject requests: everything Rastro holds on one person, exported or erased."""
