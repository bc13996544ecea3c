#!/usr/bin/env bash
# Every user-facing string must have a Chinese translation: extract the strings from a copy of the
# tree, merge them into the committed catalogue and fail on anything untranslated or fuzzy.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$root" --exclude=.venv --exclude=var --exclude=.git -cf - . | tar -C "$work" -xf -
cd "$work"
DEBUG=1 "$root/.venv/bin/python" manage.py makemessages -l zh_Hans --no-obsolete --ignore='.venv/*' --ignore='var/*' >/dev/null
po=locale/zh_Hans/LC_MESSAGES/django.po
untranslated=$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' || true)
# msgattrib prints the header entry (msgid "") when anything matched.
if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
  echo "check-translations: strings without a Chinese translation:" >&2
  msgattrib --untranslated --no-obsolete "$po" | grep -A1 '^msgid ' | grep -v '^--' | head -60 >&2
  msgattrib --only-fuzzy --no-obsolete "$po" | grep -A1 '^msgid ' | grep -v '^--' | head -60 >&2
  echo "Run 'make messages' and translate locale/zh_Hans/LC_MESSAGES/django.po." >&2
  exit 1
fi
# The committed .mo must be compiled from the committed .po.
msgfmt --check -o "$work/check.mo" "$root/$po"
cmp -s "$work/check.mo" "$root/locale/zh_Hans/LC_MESSAGES/django.mo" || {
  echo "check-translations: locale/zh_Hans/LC_MESSAGES/django.mo is stale; run 'make messages'." >&2; exit 1; }
echo "check-translations: every string has a Chinese translation"
