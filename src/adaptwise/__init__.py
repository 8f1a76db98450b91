"""adaptwise: decide between prompt engineering, fine-tuning and training.

Kept deliberately light: the scripted path imports only what it uses.
"""

__version__ = "0.1.0"
