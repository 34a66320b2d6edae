#!/usr/bin/env python3
"""Writes src/people/countries_table.inc, the table behind src/people/countries.h.

Sources:
  - codes, numeric codes and English names: Debian's iso-codes package
    (/usr/share/iso-codes/json/iso_3166-1.json; `apt-get install iso-codes`). The name is
    iso-codes' `common_name` when it has one ("South Korea", "Bolivia"), else its `name`.
  - regions: the UN Statistics Division's M49 "Standard country or area codes for
    statistical use", https://unstats.un.org/unsd/methodology/m49/ (the 2017 revision and
    later: region > sub-region > intermediate region). Transcribed below by M49 area code.
  - UN regional groups of Member States: the list of the UN Department for General
    Assembly and Conference Management (https://www.un.org/dgacm/en/content/regional-groups;
    summarised with its special cases at https://ask.un.org/faq/14521). Transcribed below.

Only the table is committed; the build never runs this script. Run it again when iso-codes
or M49 changes, and check `git diff`:

    /usr/bin/python3 scripts/gen_countries.py

It fails, writing nothing, when an ISO code has no M49 entry or an M49 entry no ISO code.
"""

import json
import os
import sys
import unicodedata

ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "people",
                   "countries_table.inc")

# M49: (region, sub-region, intermediate region) -> ISO alpha-2 codes of its countries and
# areas. "" where M49 has no such level.
M49 = {
    ("Africa", "Northern Africa", ""): "DZ EG LY MA SD TN EH",
    ("Africa", "Sub-Saharan Africa", "Eastern Africa"):
        "IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW",
    ("Africa", "Sub-Saharan Africa", "Middle Africa"): "AO CM CF TD CG CD GQ GA ST",
    ("Africa", "Sub-Saharan Africa", "Southern Africa"): "BW SZ LS NA ZA",
    ("Africa", "Sub-Saharan Africa", "Western Africa"):
        "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG",
    ("Americas", "Latin America and the Caribbean", "Caribbean"):
        "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI",
    ("Americas", "Latin America and the Caribbean", "Central America"):
        "BZ CR SV GT HN MX NI PA",
    ("Americas", "Latin America and the Caribbean", "South America"):
        "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE",
    ("Americas", "Northern America", ""): "BM CA GL PM US",
    ("Asia", "Central Asia", ""): "KZ KG TJ TM UZ",
    # TW: M49 has no entry for Taiwan (UN statistics count it within China, 156); placed
    # with China so that a participant who declares it still counts in a region.
    ("Asia", "Eastern Asia", ""): "CN HK MO KP JP MN KR TW",
    ("Asia", "South-eastern Asia", ""): "BN KH ID LA MY MM PH SG TH TL VN",
    ("Asia", "Southern Asia", ""): "AF BD BT IN IR MV NP PK LK",
    ("Asia", "Western Asia", ""): "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE",
    ("Europe", "Eastern Europe", ""): "BY BG CZ HU PL MD RO RU SK UA",
    ("Europe", "Northern Europe", ""): "AX DK EE FO FI IS IE IM LV LT NO SJ SE GB",
    ("Europe", "Northern Europe", "Channel Islands"): "GG JE",
    ("Europe", "Southern Europe", ""): "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES",
    ("Europe", "Western Europe", ""): "AT BE FR DE LI LU MC NL CH",
    ("Oceania", "Australia and New Zealand", ""): "AU CX CC HM NZ NF",
    ("Oceania", "Melanesia", ""): "FJ NC PG SB VU",
    ("Oceania", "Micronesia", ""): "GU KI MH FM NR MP PW UM",
    ("Oceania", "Polynesia", ""): "AS CK PF NU PN WS TK TO TV WF",
    # Antarctica (M49 010) belongs to no region.
    ("", "", ""): "AQ",
}

# UN regional groups, Member States only (193, by ISO code). Special cases (DGACM):
#  - US: in no group; attends WEOG as an observer and counts as WEOG for elections.
#  - TR: participates in both WEOG and Asia-Pacific; counts as WEOG for elections.
#  - IL: WEOG member since 2000 (temporary), renewed permanently in 2004.
#  - KI: in no group.
# Non-members (observers such as VA and PS, territories, TW) have no group.
UN_GROUPS = {
    "African Group":
        "DZ AO BJ BW BF BI CV CM CF TD KM CG CI CD DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR "
        "LY MG MW ML MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW",
    "Asia-Pacific Group":
        "AF BH BD BT BN KH CN CY KP FJ IN ID IR IQ JP JO KZ KW KG LA LB MY MV MH FM MN MM NR "
        "NP OM PK PW PG PH QA KR WS SA SG SB LK SY TJ TH TL TO TM TV AE UZ VU VN YE",
    "Eastern European Group":
        "AL AM AZ BY BA BG HR CZ EE GE HU LV LT ME MK MD PL RO RU RS SK SI UA",
    "Latin American and Caribbean Group":
        "AG AR BS BB BZ BO BR CL CO CR CU DM DO EC SV GD GT GY HT HN JM MX NI PA PY PE KN LC "
        "VC SR TT UY VE",
    "Western European and Others Group":
        "AD AU AT BE CA DK FI FR DE GR IS IE IL IT LI LU MT MC NL NZ NO PT SM ES SE CH TR GB US",
}
UN_MEMBERS_WITHOUT_GROUP = {"KI"}
GROUP_SIZES = {"African Group": 54, "Asia-Pacific Group": 53, "Eastern European Group": 23,
               "Latin American and Caribbean Group": 33,
               "Western European and Others Group": 29}  # 28 members + the US


def fail(msg):
    sys.exit("gen_countries.py: " + msg)


def invert(table, what):
    out = {}
    for value, codes in table.items():
        for code in codes.split():
            if code in out:
                fail(f"{code} is in two {what}s")
            out[code] = value
    return out


def sort_key(name):
    # By name as a reader expects: "Åland Islands" beside "Albania", not after "Zimbabwe".
    folded = unicodedata.normalize("NFKD", name)
    return "".join(c for c in folded if not unicodedata.combining(c)).casefold()


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    with open(ISO_JSON, encoding="utf-8") as f:
        iso = json.load(f)["3166-1"]
    m49 = invert(M49, "M49 area")
    groups = invert(UN_GROUPS, "UN group")
    codes = {c["alpha_2"] for c in iso}
    if codes != set(m49):
        fail(f"ISO codes without M49 entry: {sorted(codes - set(m49))}; "
             f"M49 entries without ISO code: {sorted(set(m49) - codes)}")
    if not set(groups) <= codes or not UN_MEMBERS_WITHOUT_GROUP <= codes:
        fail(f"UN groups name unknown codes: {sorted(set(groups) - codes)}")
    for group, size in GROUP_SIZES.items():
        if len(UN_GROUPS[group].split()) != size:
            fail(f"{group} has {len(UN_GROUPS[group].split())} members, expected {size}")

    rows = sorted(iso, key=lambda c: sort_key(c.get("common_name", c["name"])))
    lines = [
        "// Generated by scripts/gen_countries.py from iso-codes, UN M49 and the UN regional",
        "// groups; do not edit.",
        "// {code, numeric, name, region, subregion, intermediate_region, un_group}",
    ]
    for c in rows:
        code = c["alpha_2"]
        region, subregion, intermediate = m49[code]
        fields = [code, c["numeric"], c.get("common_name", c["name"]), region, subregion,
                  intermediate, groups.get(code, "")]
        lines.append("{" + ", ".join(c_string(x) for x in fields) + "},")
    text = "\n".join(lines) + "\n"
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {len(rows)} countries to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
