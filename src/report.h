/*
 * report.h - renderers of a check run. They decide nothing: they print the
 * findings they are given, each passed through redact.c first.
 * Output streams hook by hook so that a large input needs bounded memory.
 */
#ifndef HD_REPORT_H
#define HD_REPORT_H

#include <stdio.h>
#include "analyse.h"
#include "check.h"
#include "options.h"

struct summary {
	unsigned long pass, warn, fail, skip;
	unsigned long hooks;
};

struct reporter {
	FILE *out;
	const struct options *opts;
	int first;              /* internal: separators */
	/* internal: the first failed and first warned checks, for the
	 * closing "hookdoctor explain" pointer */
	const struct check_def *first_fail, *first_warn;
	void (*begin)(struct reporter *r);
	void (*hook)(struct reporter *r, const struct analysis *a,
		     const struct finding *f, size_t n);
	/* Called once before the first group (even when there is none). */
	void (*pipeline_begin)(struct reporter *r);
	/* The pipeline-level findings of one group of hooks. */
	void (*pipeline)(struct reporter *r, const struct group *g,
			 const struct finding *f, size_t n);
	void (*end)(struct reporter *r, const struct summary *s);
};

void report_text_init(struct reporter *r, FILE *out, const struct options *o);
void report_json_init(struct reporter *r, FILE *out, const struct options *o);

/* Text for a finding's evidence value after redaction: malloc'd. */
char *report_redacted(const char *key, const char *value);

#endif
