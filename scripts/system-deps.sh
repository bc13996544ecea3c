#!/usr/bin/env bash
# Install the system packages the tests need when they are missing; fail clearly if we cannot.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep "Noto Sans CJK" >/dev/null || missing+=(fonts-noto-cjk)  # not grep -q: under pipefail fc-list would die of SIGPIPE
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
command -v msgfmt >/dev/null || missing+=(gettext)
command -v fc-list >/dev/null || missing+=(fontconfig)
command -v npm >/dev/null || missing+=(npm)
command -v wrk >/dev/null || missing+=(wrk)
command -v redis-server >/dev/null || missing+=(redis-server)
# The province test (tests/province) starts three app servers behind HAProxy.
command -v haproxy >/dev/null || missing+=(haproxy)
# The rendering tests (tests/rendering) print every downloadable file through LibreOffice and read the PDF back.
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui libreoffice-calc-nogui)
command -v pdftotext >/dev/null && command -v pdffonts >/dev/null || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then
  echo "system-deps: Chromium, CJK fonts, PostgreSQL 15, gettext, npm, wrk, Redis, HAProxy, LibreOffice and poppler are present"
  exit 0
fi
echo "system-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "system-deps: missing ${missing[*]}; run as root or install them: apt-get install ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
