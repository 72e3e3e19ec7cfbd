#!/usr/bin/env python3
"""Scores the differential corpus: the VM-entry checker's verdicts (printed by scripts/check_corpus.lua
into the serial log) against the processor's (Bochs: the serial log's "actual=" and the check its log
names after each mutation's marker). Usage: check_corpus.py MODEL=LOGDIR [MODEL=LOGDIR ...]

Each LOGDIR holds serial.log and bochs.log of one corpus run. Prints every disagreement with both
verdicts and the SDM text that decides it, the explained Bochs deviations, per-model figures, and as
its last line exactly: agreement: N/M mutations (P%)
Exit status 0 when agreement >= 98% and M >= 300, else 1.
"""
import re
import sys

from check_corpus_map import BOCHS_CHECKS, DEVIATIONS, NOT_RUN

# 0x4C000000 + n, n < 0x10000: the checker's own RDMSR of an MSR a mutation names (0x4C0FFFFF,
# Snapshot::msr_exists) is not a marker, else it would take the Bochs message of that mutation.
MARKER = re.compile(r"RDMSR: Unknown register 0x4c00([0-9a-f]{4})\b")
CHECK = re.compile(r"(VMFAIL: .*|VMENTER FAIL: .*|VMENTER: Guest State PDPTRs.*|VMX LoadMSRs .*|VMABORT: .*)$")
LINE = re.compile(r"^corpus: (\d+) (\S+) (\S+) (?:skipped=(\S+)|predicted=(\S+)(?: rule=(\S+))? actual=(\S+))")
RULE = re.compile(r"^corpus-rule: ([^\t]+)\t([^\t]+)\t([^\t]+)\t(.*)$")


def read_serial(path):
    results, rules = [], {}
    with open(path, errors="replace") as f:
        for raw in f:
            line = raw.rstrip("\r\n")
            m = RULE.match(line)
            if m:
                rules[m.group(1)] = (m.group(2), m.group(3), m.group(4))
                continue
            m = LINE.match(line)
            if not m:
                continue
            n, base, name, skipped, pred, rule, actual = m.groups()
            results.append(dict(n=int(n), base=base, name=name, skipped=skipped,
                                predicted=(pred or "").replace("_", " "), rule=rule,
                                actual=(actual or "").replace("_", " ")))
    return results, rules


def read_bochs(path):
    """mutation number -> the first VM-entry check Bochs logged after its marker."""
    found, current = {}, None
    with open(path, errors="replace") as f:
        for line in f:
            m = MARKER.search(line)
            if m:
                current = int(m.group(1), 16)
                continue
            m = CHECK.search(line)
            if m and current is not None and current not in found:
                found[current] = m.group(1).strip()
    return found


def bochs_rule(msg):
    """(rule-id regex, SDM decision text) for a Bochs message, or (None, None)."""
    for pattern, rule_ids, sdm in BOCHS_CHECKS:
        if msg and re.search(pattern, msg):
            return rule_ids, sdm
    return None, None


def deviation(r, msg):
    for name_re, pred, actual, why in DEVIATIONS:
        if re.search(name_re, r["name"]) and r["predicted"] == pred and r["actual"] == actual:
            return why
    return None


def score(model, results, rules, bochs):
    agree, total, explained, disagreements, rule_checked, rule_agree = 0, 0, [], [], 0, 0
    for r in results:
        if r["skipped"]:
            continue
        total += 1
        msg = bochs.get(r["n"])
        rule_ids, sdm = bochs_rule(msg)
        pred, actual = r["predicted"], r["actual"]
        ok = pred == actual or (pred == "VMX abort" and actual == "refused")
        if ok and rule_ids and r["rule"]:
            rule_checked += 1
            if any(re.fullmatch(rule_ids, i) for i in r["rule"].split(",")):
                rule_agree += 1
            else:
                ok = False
        if ok:
            agree += 1
            continue
        why = deviation(r, msg)
        text = rules.get((r["rule"] or "").split(",")[0], None)
        decide = "SDM %s: %s" % (text[0], text[2]) if text else sdm
        if not decide and actual == "not run":
            decide = next((t for p, t in NOT_RUN if re.search(p, r["name"])), None)
        decide = decide or "(no rule of the checker, no Bochs check named)"
        line = "%s #%d %s %s: checker=%s%s bochs=%s%s -- %s" % (
            model, r["n"], r["base"], r["name"], pred, " [%s]" % r["rule"] if r["rule"] else "", actual,
            " [%s]" % msg if msg else "", decide)
        if why:
            agree += 1
            explained.append(line + " -- EXPLAINED: " + why)
        else:
            disagreements.append(line)
    return agree, total, explained, disagreements, rule_checked, rule_agree


def main(argv):
    runs = [a.split("=", 1) for a in argv[1:]]
    if not runs:
        print(__doc__)
        return 2
    all_agree = all_total = 0
    for model, logdir in runs:
        results, rules = read_serial(logdir + "/serial.log")
        bochs = read_bochs(logdir + "/bochs.log")
        agree, total, explained, dis, rc, ra = score(model, results, rules, bochs)
        skipped = sum(1 for r in results if r["skipped"])
        print("== %s: %d mutations (%d skipped), %d agree, %d explained Bochs deviations, %d disagree; "
              "rule named by Bochs and checker: %d/%d agree" % (model, total, skipped, agree - len(explained),
                                                                 len(explained), len(dis), ra, rc))
        for line in dis:
            print("DISAGREE " + line)
        for line in explained:
            print("EXPLAINED " + line)
        all_agree += agree
        all_total += total
    pct = 100.0 * all_agree / all_total if all_total else 0.0
    print("agreement: %d/%d mutations (%.1f%%)" % (all_agree, all_total, pct))
    return 0 if all_total >= 300 and pct >= 98.0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
