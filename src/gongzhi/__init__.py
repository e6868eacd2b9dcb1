"""Gongzhi (共治): neighbourhood co-governance for Chinese cities."""

__version__ = "0.1.0"
