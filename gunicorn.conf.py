"""gunicorn's settings for Minqing; gunicorn reads this file from the directory it is started in.

The access log keeps the client address, the method, the path, the status, the size and the time; never the query
string or the referrer. Both carry what people type: the portal's similar-problem search sends a resident's
description, phone numbers included, as it is typed, and the back office's searches send names.
See docs/security.md.
"""

access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
