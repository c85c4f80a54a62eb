/*
 * status.c - names of Devopness action statuses and outgoing-hook events,
 * and which statuses each event fires on (SPEC.md, "How a hook is
 * analysed", step 2). Pure tables: no allocation, no I/O.
 */
#include "status.h"

#include <string.h>
#include "util.h"

const char *const hd_status_name[ST_COUNT] = {
	[ST_PENDING] = "pending",
	[ST_WAITING] = "waiting",
	[ST_SKIPPED] = "skipped",
	[ST_QUEUED] = "queued",
	[ST_IN_PROGRESS] = "in-progress",
	[ST_COMPLETED] = "completed",
	[ST_FAILED] = "failed",
};

const char *const hd_event_name[EV_COUNT] = {
	[EV_STATUS_CHANGED] = "action.status_changed",
	[EV_QUEUED] = "action.queued",
	[EV_STARTED] = "action.started",
	[EV_COMPLETED] = "action.completed",
	[EV_FAILED] = "action.failed",
};

int hd_status_from_name(const char *name)
{
	if (!name)
		return -1;
	for (int s = 0; s < ST_COUNT; s++)
		if (strcmp(name, hd_status_name[s]) == 0)
			return s;
	return -1;
}

int hd_event_from_name(const char *name)
{
	if (!name)
		return -1;
	for (int e = 0; e < EV_COUNT; e++)
		if (strcmp(name, hd_event_name[e]) == 0)
			return e;
	return -1;
}

unsigned hd_event_statuses(enum hd_event ev)
{
	switch (ev) {
	case EV_STATUS_CHANGED:
		return ST_ALL;
	case EV_QUEUED:
		return ST_BIT(ST_QUEUED);
	case EV_STARTED:
		return ST_BIT(ST_IN_PROGRESS);
	case EV_COMPLETED:
		return ST_BIT(ST_COMPLETED);
	case EV_FAILED:
		return ST_BIT(ST_FAILED);
	case EV_COUNT:
		break;
	}
	return 0;
}

int hd_status_words(struct sbuf *b, unsigned mask, const char *sep,
		    const char *last_sep)
{
	int n = 0, total = 0;

	for (int s = 0; s < ST_COUNT; s++)
		total += (mask & ST_BIT(s)) != 0;
	for (int s = 0; s < ST_COUNT; s++) {
		if (!(mask & ST_BIT(s)))
			continue;
		if (n > 0)
			sbuf_add(b, n == total - 1 ? last_sep : sep);
		sbuf_add(b, hd_status_name[s]);
		n++;
	}
	return n;
}
