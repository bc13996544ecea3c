"""A minimal Django project running django-helpdesk, the peer of Minqing's benchmark suite."""
