"""Evidence of a matter (photos and PDFs of the work) is checked like every upload, by core.uploads.

The names stay importable from here for the matter services; new code imports core.uploads.
"""

from __future__ import annotations

from core.uploads import CleanFile, clean_upload

__all__ = ["CleanFile", "clean_upload"]
