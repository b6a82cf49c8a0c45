"""Checkout platforms' sales (Hotmart, Kiwify, others): one normalized shape, one function that writes it."""
