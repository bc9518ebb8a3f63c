"""Kept for scrapyd-deploy, which builds the project egg with `setup.py bdist_egg`.

Everything about the package is in pyproject.toml.
"""

from setuptools import setup

setup()
