/*
 * cmd_check.c - `hookdoctor check`: every applicable check on every hook
 * of the input, streamed to the reporter hook by hook, then the
 * pipeline-level checks over the hooks that post to one repository.
 */
#include <stdlib.h>
#include <string.h>
#include "analyse.h"
#include "check.h"
#include "cmd.h"
#include "hook.h"
#include "report.h"

/* Why a check cannot run here, or NULL when it can. */
static const char *unmet_need(const struct check_def *d, const struct options *o)
{
	if ((d->needs & NEED_NETWORK) && o->offline)
		return "skipped: --offline";
	return NULL;
}

static void count(struct summary *s, enum check_status st)
{
	switch (st) {
	case CS_PASS: s->pass++; break;
	case CS_WARN: s->warn++; break;
	case CS_FAIL: s->fail++; break;
	case CS_SKIP: s->skip++; break;
	}
}

static void run_one(const struct check_def *d, const struct analysis *a,
		    const struct group *g, const struct options *o,
		    struct finding *f)
{
	const char *why = unmet_need(d, o);

	memset(f, 0, sizeof(*f));
	f->def = d;
	if (why)
		finding_skip(f, "%s", why);
	else if (d->scope == SCOPE_HOOK)
		d->hook_fn(a, f);
	else
		d->group_fn(g, f);
	if (!f->message)
		f->message = xstrdup("");
}

static bool runnable(const struct check_def *d, const struct options *o,
		     enum check_scope scope)
{
	if (d->scope != scope || !options_check_enabled(o, d->id))
		return false;
	return scope == SCOPE_HOOK ? d->hook_fn != NULL : d->group_fn != NULL;
}

static int validate_ids(const char *list, const char *opt)
{
	char id[16];

	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ", ");

		if (n && (n >= sizeof(id) || (memcpy(id, p, n), id[n] = '\0',
					      !check_find(id)))) {
			fprintf(stderr, "hookdoctor: %s: unknown check '%.*s' "
				"(see hookdoctor checks)\n", opt, (int)n, p);
			return 2;
		}
		p += n;
		p += strspn(p, ", ");
	}
	return 0;
}

int cmd_check(const struct options *o)
{
	struct finding *f = xcalloc(check_registry_len, sizeof(*f));
	struct hook_input in;
	struct groups gs = {0};
	struct summary sum = {0};
	struct reporter rep;
	struct rules *rules;
	struct hook h;
	struct hd_error err = {{0}};
	int rc;

	if (validate_ids(o->only, "--only") || validate_ids(o->skip, "--skip") ||
	    cmd_validate_vars(o)) {
		free(f);
		return 2;
	}
	if (!(rules = cmd_load_rules())) {
		free(f);
		return 3;
	}
	if (cmd_validate_provider(o, rules)) {
		rules_free(rules);
		free(f);
		return 2;
	}
	if ((rc = cmd_open_input(o, &in))) {
		rules_free(rules);
		free(f);
		return rc;
	}
	if (o->format == FMT_JSON)
		report_json_init(&rep, stdout, o);
	else
		report_text_init(&rep, stdout, o);
	rep.begin(&rep);

	while ((rc = hook_input_next(&in, &h, &err)) == 1) {
		struct analysis a;
		size_t n = 0;

		if (analyse_hook(&a, &h, o, rules, &err) < 0) {
			/* --var was validated up front: cannot happen. */
			fprintf(stderr, "hookdoctor: %s\n", err.msg);
			analysis_free(&a);
			hook_free(&h);
			rc = 3;
			goto out;
		}
		for (size_t i = 0; i < check_registry_len; i++) {
			const struct check_def *d = &check_registry[i];

			if (!runnable(d, o, SCOPE_HOOK))
				continue;
			run_one(d, &a, NULL, o, &f[n]);
			count(&sum, f[n].status);
			n++;
		}
		sum.hooks++;
		rep.hook(&rep, &a, f, n);
		for (size_t i = 0; i < n; i++)
			finding_clear(&f[i]);
		groups_add(&gs, &a);
		analysis_free(&a);
		hook_free(&h);
	}
	if (rc < 0) {
		/* Cannot happen: the input was validated when it was opened. */
		fprintf(stderr, "hookdoctor: %s\n", err.msg);
		rc = 3;
		goto out;
	}

	rep.pipeline_begin(&rep);
	for (size_t k = 0; k < gs.n; k++) {
		size_t n = 0;

		for (size_t i = 0; i < check_registry_len; i++) {
			const struct check_def *d = &check_registry[i];

			if (!runnable(d, o, SCOPE_PIPELINE))
				continue;
			run_one(d, NULL, &gs.g[k], o, &f[n]);
			count(&sum, f[n].status);
			n++;
		}
		rep.pipeline(&rep, &gs.g[k], f, n);
		for (size_t i = 0; i < n; i++)
			finding_clear(&f[i]);
	}
	rep.end(&rep, &sum);
	rc = sum.fail || (o->strict && sum.warn) ? 1 : 0;
out:
	groups_free(&gs);
	hook_input_close(&in);
	rules_free(rules);
	free(f);
	return rc;
}
