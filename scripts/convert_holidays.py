"""Convert a gathered State Council holiday file into the desk's calendar file format.

    python scripts/convert_holidays.py ../shared/catalog/holidays-2026.json -o resources/calendar/calendar.json

Without -o the JSON goes to standard output. Years marked "published": false are left out.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clerk_desk.domain.calendar_file import CalendarFormatError, convert_state_council_file  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=Path, help="holidays-YYYY.json as gathered from the State Council notice")
    ap.add_argument("-o", "--output", type=Path, help="where to write the calendar file (default: stdout)")
    ap.add_argument("--version", dest="cal_version", help='publisher version string, default "<last year>-1"')
    ap.add_argument("--published-at", help="publication date, default the latest notice date")
    args = ap.parse_args(argv)
    try:
        data = json.loads(args.source.read_text(encoding="utf-8"))
        out = convert_state_council_file(data, version=args.cal_version, published_at=args.published_at)
    except (OSError, json.JSONDecodeError, CalendarFormatError) as exc:
        print(f"convert_holidays: {exc}", file=sys.stderr)
        return 1
    text = json.dumps(out, ensure_ascii=False, indent=1) + "\n"
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
