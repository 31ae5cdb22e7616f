FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# gettext: compilemessages below; Pango and the Noto fonts (Arabic, Chinese): PDF reports
# (WeasyPrint) and static charts
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# the dependencies first (pyproject.toml declares them; the project itself is not a package),
# so that a change to the code does not reinstall them
COPY pyproject.toml ./
RUN pip install --no-cache-dir .
COPY . .
# the translations, compiled once here (settings' development defaults suffice to run it)
RUN python manage.py compilemessages --ignore=.venv -v 0
# run unprivileged; collectstatic writes into /app/staticfiles, a volume shared with nginx
RUN useradd --system --no-create-home portal && mkdir -p /app/staticfiles && chown portal /app/staticfiles
USER portal
EXPOSE 8000
CMD ["gunicorn", "--config", "gunicorn.conf.py", "itu_rbm.wsgi"]
