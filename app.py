"""Development server: `python app.py` (or `make run`). Production uses wsgi.py."""

from healix import create_app
from healix.config import get_settings

app = create_app()

if __name__ == "__main__":
    settings = get_settings()
    app.run(host=settings.host, port=settings.port, debug=False)
