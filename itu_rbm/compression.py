"""Gzip for answers that gain from it: Django's GZipMiddleware compresses every answer a client
accepts gzip for, a zip download or a PNG too, which are compressed already: gzipping them again
costs CPU on every download and drops their Content-Length (the file is then streamed)."""

from django.middleware.gzip import GZipMiddleware

ALREADY_COMPRESSED = ("application/zip", "image/png", "image/jpeg", "image/gif", "image/webp")


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if content_type in ALREADY_COMPRESSED:
            return response
        return super().process_response(request, response)
