/*
 * check.c - finding helpers used by every check, and ID lookup in the
 * registry. A finding's strings are owned by the finding.
 */
#include "check.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "checks.h"
#include "util.h"

const char *const check_status_name[4] = {"pass", "warn", "fail", "skip"};

const struct check_def *check_find(const char *id)
{
	for (size_t i = 0; i < check_registry_len; i++)
		if (ascii_casecmp(check_registry[i].id, id) == 0)
			return &check_registry[i];
	return NULL;
}

static enum check_status finding_vset(struct finding *f,
				      enum check_status st, const char *fmt,
				      va_list ap)
{
	struct sbuf b = {0};

	finding_free_message(f);
	if (!strchr(fmt, '%')) {
		/* a fixed message: no formatting (vsnprintf was a tenth of
		 * the checks of 10,000 hooks; tools/bench.sh) */
		f->message = xstrdup(fmt);
	} else {
		sbuf_vaddf(&b, fmt, ap);
		f->message = sbuf_detach(&b);
	}
	f->status = st;
	return st;
}

#define FINDING_SETTER(fname, st)                                        \
	enum check_status fname(struct finding *f, const char *fmt, ...) \
	{                                                                \
		va_list ap;                                              \
		enum check_status r;                                     \
		va_start(ap, fmt);                                       \
		r = finding_vset(f, (st), fmt, ap);                      \
		va_end(ap);                                              \
		return r;                                                \
	}

FINDING_SETTER(finding_pass, CS_PASS)
FINDING_SETTER(finding_warn, CS_WARN)
FINDING_SETTER(finding_fail, CS_FAIL)
FINDING_SETTER(finding_skip, CS_SKIP)
FINDING_SETTER(finding_problem, f->def ? f->def->severity : CS_FAIL)

void finding_hint(struct finding *f, const char *fmt, ...)
{
	struct sbuf b = {0};
	va_list ap;

	free(f->hint);
	if (!strchr(fmt, '%')) {
		f->hint = xstrdup(fmt);
		return;
	}
	va_start(ap, fmt);
	sbuf_vaddf(&b, fmt, ap);
	va_end(ap);
	f->hint = sbuf_detach(&b);
}

static void ensure_evidence(struct finding *f)
{
	if (!f->evidence)
		f->evidence = cJSON_CreateObject();
}

void finding_ev(struct finding *f, const char *key, const char *value)
{
	ensure_evidence(f);
	cJSON_DeleteItemFromObjectCaseSensitive(f->evidence, key);
	cJSON_AddItemToObject(f->evidence, key,
			      value ? cJSON_CreateString(value)
				    : cJSON_CreateNull());
}

void finding_evf(struct finding *f, const char *key, const char *fmt, ...)
{
	struct sbuf b = {0};
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&b, fmt, ap);
	va_end(ap);
	finding_ev(f, key, b.s ? b.s : "");
	sbuf_free(&b);
}

void finding_ev_json(struct finding *f, const char *key, cJSON *value)
{
	ensure_evidence(f);
	cJSON_DeleteItemFromObjectCaseSensitive(f->evidence, key);
	cJSON_AddItemToObject(f->evidence, key, value);
}

const char check_msg_offline[] = "skipped: --offline";
const char check_msg_empty[] = "";

void finding_free_message(struct finding *f)
{
	if (f->message != check_msg_offline && f->message != check_msg_empty)
		free(f->message);
	f->message = NULL;
}

void finding_clear(struct finding *f)
{
	finding_free_message(f);
	free(f->hint);
	cJSON_Delete(f->evidence);
	f->message = f->hint = NULL;
	f->evidence = NULL;
}

bool check_skip_no_request(const struct analysis *a, struct finding *f)
{
	if (a->nprimary)
		return false;
	finding_skip(f, "skipped: the hook fires on no status (see HD108, HD113)");
	return true;
}

bool check_skip_no_provider(const struct analysis *a, struct finding *f)
{
	if (check_skip_no_request(a, f))
		return true;
	if (a->provider)
		return false;
	finding_skip(f, "skipped: no provider recognised (HD301)");
	return true;
}
