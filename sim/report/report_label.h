/*
 * report_label.h - how a fix set is named to a reader: by the preset it
 * started from and what --fix / --no-fix changed ("v5.0 - same-origin",
 * "v4.19 + same-origin"), and the options that rebuild it on a command line;
 * how likely a verdict is over the random draws (probability.h), as text.
 */
#ifndef NFRACE_REPORT_LABEL_H
#define NFRACE_REPORT_LABEL_H

#include "program.h"

#include <stddef.h>
#include <stdio.h>

/* report_fixes_label - "PRESET", then " + NAME" for each fix j has beyond its
 * preset and " - NAME" for each it lacks, in table order; into buf. */
void report_fixes_label(const struct job *j, char *buf, size_t size);

/* report_fixes_options - the command-line options that turn preset j->kernel
 * into j's fix set: "--kernel PRESET[ --fix NAME][ --no-fix NAME]..." plus
 * any --plant; into buf. */
void report_fixes_options(const struct job *j, char *buf, size_t size);

/* report_preset_tree - the source tree of j's preset ("v4.15", "latest"). */
const char *report_preset_tree(const struct job *j);

/* report_probability_text - p as a reader takes it in: "1/64,512" when 1/p
 * is a whole number (to 6 digits), else "0.0312"; "<= " in front when p is
 * only an upper bound.  Into buf. */
void report_probability_text(double p, bool exact, char *buf, size_t size);

/* report_drop_probability - the probability text of j's drops ("1/2"), or
 * false when j has none below 1 to tell (no drop, p = 1, or not known). */
bool report_drop_probability(const struct job *j, char *buf, size_t size);

/* report_probability_line - for a job whose drops need improbable random
 * draws, the line that says how improbable ("probability: ..."); nothing
 * otherwise. */
void report_probability_line(FILE *f, const struct job *j);

/* report_probability_json - the value of "drop_probability": a number, or
 * null when not known (no drop, sampled, incomplete). */
void report_probability_json(FILE *f, const struct job *j);

#endif /* NFRACE_REPORT_LABEL_H */
