import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
application = get_wsgi_application()

# Fail closed: never serve with DEBUG off on the public development keys.
from gongzhi.core.checks import require_production_keys  # noqa: E402

require_production_keys()
