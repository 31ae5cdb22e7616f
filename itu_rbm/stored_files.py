"""Answers that send a stored file (uploaded evidence) from Django's storage: the workspace's
download and the public one share how (indicators/evidence.py decides which file and to whom)."""

from django.http import FileResponse


def attachment_response(opened, *, filename: str, content_type: str, private: bool):
    """`opened` (a file from the storage, open for reading) as a download, never shown inline:
    only types read from the content are served, with nosniff, so a browser guesses nothing.
    A private file is kept by no cache; a public one is only ever approved content."""
    response = FileResponse(
        opened, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=300"
    return response
