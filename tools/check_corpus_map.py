"""The differential corpus's knowledge of Bochs 2.7 (tools/check_corpus.py).

BOCHS_CHECKS: (regex on the check Bochs logs, regex of the checker's rule ids that name the same
check, the SDM's decision in words). DEVIATIONS: (regex on the mutation name, checker verdict, Bochs
verdict, why the checker follows the SDM there) -- each counted as agreement and listed.
Section numbers: the SDM edition of docs/sdm.md.
"""

BOCHS_CHECKS = [
]

DEVIATIONS = [
]
