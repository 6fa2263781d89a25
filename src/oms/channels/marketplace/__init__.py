"""Marketplaces (Amazon- and Mirakl-like order JSON), mapped by per-channel configuration."""
